//! The way to the certificate server, diagnosed for each cause it must tell apart: the box
//! runs the checks by itself after a failed request, or when asked, and names the first
//! failing step and what it means. Real processes and sockets on loopback.

mod support;

use serde_json::Value;
use std::net::TcpListener;
use support::*;

/// The verdict's name, as the JSON API spells it (`"fine"`, `{"intercepted": {..}}`).
fn verdict(diagnosis: &Value) -> String {
    match &diagnosis["verdict"] {
        Value::String(name) => name.clone(),
        Value::Object(fields) => fields.keys().next().cloned().unwrap_or_default(),
        other => panic!("no verdict in {other}"),
    }
}

/// Each step's name and whether it worked, in order.
fn steps(diagnosis: &Value) -> Vec<(String, bool)> {
    diagnosis["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| {
            (
                step["step"].as_str().unwrap().to_string(),
                step["ok"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn route(expected: &[(&str, bool)]) -> Vec<(String, bool)> {
    expected
        .iter()
        .map(|(step, ok)| (step.to_string(), *ok))
        .collect()
}

/// A connected box asking `cert_server`; its first request fails, and it diagnoses why.
fn diagnosed_after_failure(
    cert_server: &str,
    ca_file: Option<&std::path::Path>,
) -> (IotBox, Value) {
    let iot_box = IotBox::start(
        &demo_settings(),
        cert_server,
        ca_file,
        &["--cert-server-timeout", "2s"],
    );
    let diagnosis = iot_box.wait_route_diagnosis();
    (iot_box, diagnosis)
}

#[test]
fn a_working_way_is_fine_and_asks_for_no_certificate() {
    let (ca, iot_box) = box_with_a_real_certificate();
    let report = iot_box.run_diagnostics();
    let diagnosis = report["route"].clone();
    assert_eq!(verdict(&diagnosis), "fine", "{diagnosis}");
    assert_eq!(
        steps(&diagnosis),
        route(&[("dns", true), ("tcp", true), ("tls", true), ("http", true)])
    );
    let tls = diagnosis["steps"][2]["detail"].as_str().unwrap();
    assert!(
        tls.contains("issued by IoT Box Local Certificate Authority"),
        "{tls}"
    );
    // Only the certificate the box got at start: the checks never request one.
    assert_eq!(ca.requests(), 1);

    // Asked again within 10 s: the same run, not a new one.
    assert_eq!(iot_box.run_diagnostics(), report);
    let client = http_client();
    let api: Value = client
        .get(format!(
            "http://127.0.0.1:{}/api/diagnostics",
            iot_box.http_port
        ))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(api, report);
}

#[test]
fn a_certificate_from_an_untrusted_issuer_is_an_interception() {
    let ca = LocalCa::start(&[]);
    // The box does not trust the local CA: as a proxy that inspects HTTPS would look.
    let (iot_box, diagnosis) = diagnosed_after_failure(&ca.url(), None);
    assert_eq!(
        iot_box.certificate()["error"]["code"],
        "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION"
    );
    assert_eq!(verdict(&diagnosis), "intercepted", "{diagnosis}");
    assert_eq!(
        diagnosis["verdict"]["intercepted"]["issuer"],
        "IoT Box Local Certificate Authority"
    );
    assert_eq!(
        steps(&diagnosis),
        route(&[("dns", true), ("tcp", true), ("tls", false)])
    );
}

#[test]
fn a_refused_port_is_blocked() {
    let closed = ClosedPort::new();
    let url = format!("https://127.0.0.1:{}/odoo-enterprise/iot/x509", closed.port);
    let (_box, diagnosis) = diagnosed_after_failure(&url, None);
    assert_eq!(verdict(&diagnosis), "blocked", "{diagnosis}");
    assert_eq!(steps(&diagnosis), route(&[("dns", true), ("tcp", false)]));
}

#[test]
fn a_port_that_drops_connections_cuts_the_way() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for connection in listener.incoming() {
            drop(connection);
        }
    });
    let url = format!("https://127.0.0.1:{port}/odoo-enterprise/iot/x509");
    let (_box, diagnosis) = diagnosed_after_failure(&url, None);
    assert_eq!(verdict(&diagnosis), "cut", "{diagnosis}");
    assert_eq!(
        steps(&diagnosis),
        route(&[("dns", true), ("tcp", true), ("tls", false)])
    );
}

#[test]
fn a_server_that_hangs_is_silent() {
    let ca = LocalCa::start(&["--fault", "hang"]);
    let (_box, diagnosis) = diagnosed_after_failure(&ca.url(), Some(&ca.ca_file));
    assert_eq!(verdict(&diagnosis), "silent", "{diagnosis}");
    assert_eq!(
        steps(&diagnosis),
        route(&[("dns", true), ("tcp", true), ("tls", true), ("http", false)])
    );
}

#[test]
fn a_server_error_is_named_with_its_status() {
    let ca = LocalCa::start(&["--fault", "status 503"]);
    let (iot_box, diagnosis) = diagnosed_after_failure(&ca.url(), Some(&ca.ca_file));
    assert_eq!(
        iot_box.certificate()["error"]["code"],
        "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 503"
    );
    assert_eq!(
        diagnosis["verdict"]["server_error"]["status"], 503,
        "{diagnosis}"
    );
    assert_eq!(
        diagnosis["steps"][3]["detail"],
        "HTTP/1.1 503 Service Unavailable"
    );
}

#[test]
fn a_name_that_does_not_resolve_is_no_dns() {
    let (_box, diagnosis) = diagnosed_after_failure(
        "https://no-such-host.invalid/odoo-enterprise/iot/x509",
        None,
    );
    assert_eq!(verdict(&diagnosis), "no_dns", "{diagnosis}");
    assert_eq!(steps(&diagnosis), route(&[("dns", false)]));
}
