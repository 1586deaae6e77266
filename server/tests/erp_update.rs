//! Telling the ERP: once the box has stored a certificate, it posts the end date to the
//! connected Odoo server, as the newest reference does, and the status says whether it
//! could. An Odoo server that fails is shown and never stands in the renewal's way.

mod support;

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;
use support::*;

/// How the stand-in Odoo server answers.
#[derive(Clone, Copy)]
enum Odoo {
    /// As Odoo's JSON-RPC route does: the end date parsed as a `Datetime` field
    /// (`%Y-%m-%d %H:%M:%S`, no zone), `result: null` when it parses, and an error inside an
    /// HTTP 200 when it does not.
    Route,
    /// Any other HTTP status.
    Status(u16),
    /// An error of the route, inside an HTTP 200, with this message.
    Refuses(&'static str),
}

/// Whether `text` is a date as Python's `strptime(text, "%Y-%m-%d %H:%M:%S")` reads it.
fn odoo_reads_datetime(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 19
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            10 => *byte == b' ',
            13 | 16 => *byte == b':',
            _ => byte.is_ascii_digit(),
        })
}

/// A stand-in Odoo server on loopback answering as `odoo` says, handing over each
/// request's first line and body.
fn odoo_server(odoo: Odoo) -> (u16, Receiver<(String, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (received, requests) = channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first_line = String::new();
            reader.read_line(&mut first_line).unwrap();
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let body = String::from_utf8_lossy(&body).into_owned();
            let (status, answer) = match odoo {
                Odoo::Status(status) => (status, "{}".to_string()),
                Odoo::Refuses(message) => (
                    200,
                    serde_json::json!({"jsonrpc": "2.0", "id": null, "error": {
                        "code": 200, "message": "Odoo Server Error",
                        "data": {"name": "odoo.exceptions.UserError", "message": message}
                    }})
                    .to_string(),
                ),
                Odoo::Route => {
                    let sent: Value = serde_json::from_str(&body).unwrap_or_default();
                    let date = sent["params"]["ssl_certificate_end_date"]
                        .as_str()
                        .unwrap_or("");
                    let answer = if odoo_reads_datetime(date) {
                        serde_json::json!({"jsonrpc": "2.0", "id": null, "result": null})
                    } else {
                        serde_json::json!({"jsonrpc": "2.0", "id": null, "error": {
                            "code": 200, "message": "Odoo Server Error",
                            "data": {"name": "builtins.ValueError", "message": format!(
                                "time data '{date}' does not match format '%Y-%m-%d %H:%M:%S'"
                            )}
                        }})
                    };
                    (200, answer.to_string())
                }
            };
            write!(
                stream,
                "HTTP/1.1 {status} Answer\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            )
            .unwrap();
            let _ = received.send((first_line.trim().to_string(), body));
        }
    });
    (port, requests)
}

/// The demo credential, and the Odoo server on `port`, given with a path as people paste it
/// from their browser: Odoo's routes are at the server's root all the same.
fn connected_to(port: u16) -> String {
    let demo = iotbox::local_ca::demo_credential();
    format!(
        "[odoo]\nserver_url = \"http://127.0.0.1:{port}/odoo\"\n\n[credential]\n\
         db_uuid = \"{}\"\ncontract_number = \"{}\"\n",
        demo.db_uuid.as_str(),
        demo.contract_number.expose()
    )
}

fn a_real_certificate(iot_box: &IotBox) -> Value {
    iot_box.wait_certificate("a certificate from the authority", |c| {
        c["state"] == "ok" && c["temporary"] == false
    })
}

fn erp_update(iot_box: &IotBox) -> Value {
    wait_for(
        "the status to say what Odoo was told",
        Duration::from_secs(10),
        || {
            let update = iot_box.status()["erp_update"].clone();
            (!update.is_null()).then_some(update)
        },
    )
}

/// A box connected to a stand-in Odoo server answering `status`, once it has its
/// certificate from a local authority and has told the Odoo server: the certificate's
/// status, and the request the Odoo server got (first line, body).
fn box_that_told_odoo(odoo: Odoo) -> (LocalCa, IotBox, Value, (String, String)) {
    box_that_told_odoo_with(
        odoo,
        &["--serial-number-file", "/nonexistent/serial-number"],
    )
}

fn box_that_told_odoo_with(
    odoo: Odoo,
    args: &[&str],
) -> (LocalCa, IotBox, Value, (String, String)) {
    let ca = LocalCa::start(&[]);
    let (port, requests) = odoo_server(odoo);
    let iot_box = IotBox::start(&connected_to(port), &ca.url(), Some(&ca.ca_file), args);
    let certificate = a_real_certificate(&iot_box);
    let told = requests.recv_timeout(Duration::from_secs(10)).unwrap();
    (ca, iot_box, certificate, told)
}

#[test]
fn the_odoo_server_is_told_the_end_date_of_the_stored_certificate() {
    let (_ca, iot_box, certificate, (first_line, body)) = box_that_told_odoo(Odoo::Route);
    assert_eq!(
        first_line,
        "POST /iot/box/update_certificate_status HTTP/1.1"
    );
    let body: Value = serde_json::from_str(&body).unwrap();
    // No serial number on this hardware: the MAC address, as boxes up to Odoo 18 sent.
    let status = iot_box.status();
    let (identifier, source) = match status["mac_address"].as_str() {
        Some(mac) => (mac, "mac_address"),
        None => (status["name"].as_str().unwrap(), "host_name"),
    };
    assert_eq!(body["params"]["identifier"].as_str(), Some(identifier));
    assert_eq!(status["identifier"]["value"], identifier);
    assert_eq!(status["identifier"]["source"], source);
    // As Odoo reads a Datetime: "2027-01-26 10:11:28", naive UTC.
    let not_after = certificate["not_after"].as_str().unwrap();
    let end_date = not_after.replace('T', " ").replace('Z', "");
    assert_eq!(body["params"]["ssl_certificate_end_date"], end_date);

    let update = erp_update(&iot_box);
    assert_eq!(update["not_after"], not_after);
    assert_eq!(update["identifier"]["value"], identifier);
    assert!(update["problem"].is_null(), "{update}");
}

#[test]
fn a_raspberry_pi_names_itself_by_its_serial_number_as_odoo_s_box_does() {
    // As the Pi's device tree gives it: the digits, then a NUL.
    let device_tree = tempfile::tempdir().unwrap();
    let serial_file = device_tree.path().join("serial-number");
    std::fs::write(&serial_file, b"10000000a1b2c3d4\0").unwrap();
    let (_ca, iot_box, _, (_, body)) = box_that_told_odoo_with(
        Odoo::Route,
        &["--serial-number-file", serial_file.to_str().unwrap()],
    );
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["params"]["identifier"], "10000000a1b2c3d4");
    let update = erp_update(&iot_box);
    assert_eq!(
        update["identifier"],
        serde_json::json!({"value": "10000000a1b2c3d4", "source": "serial_number"})
    );
    assert_eq!(iot_box.status()["identifier"], update["identifier"]);
    // The support report says it too.
    let report = iot_box.get_text("/api/support-report");
    assert!(
        report.contains("Sent to Odoo as: 10000000a1b2c3d4 (the serial number)"),
        "{report}"
    );
}

#[test]
fn an_odoo_server_that_fails_is_shown_and_the_certificate_is_served_all_the_same() {
    let (_ca, iot_box, certificate, _) = box_that_told_odoo(Odoo::Status(500));

    let update = erp_update(&iot_box);
    let problem = update["problem"].as_str().unwrap();
    assert!(problem.contains("500"), "{problem}");
    // The renewal did not wait for the Odoo server, and the new certificate is served.
    assert_eq!(
        iot_box.served().common_name,
        certificate["subject"].as_str().unwrap()
    );
}

#[test]
fn an_error_odoo_answers_inside_a_200_is_shown_in_odoo_s_words() {
    let (_ca, iot_box, _, _) = box_that_told_odoo(Odoo::Refuses("IoT Box not found"));
    let update = erp_update(&iot_box);
    assert_eq!(
        update["problem"], "the Odoo server refused it: IoT Box not found",
        "{update}"
    );
}

#[test]
fn the_stand_in_reads_dates_as_odoo_does() {
    assert!(odoo_reads_datetime("2027-01-26 10:11:28"));
    // What the box sent before, with a zone, makes Odoo's Datetime field raise ValueError.
    assert!(!odoo_reads_datetime("2027-01-26 10:11:28+00:00"));
    assert!(!odoo_reads_datetime("2027-01-26T10:11:28Z"));
}
