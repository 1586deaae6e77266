//! A box with a working certificate, against a certificate server that plays every fault it
//! must survive: the box reports the failure with its code, and keeps serving, and keeping on
//! disk, exactly what it had.

mod support;

use serde_json::Value;
use support::*;

fn code(certificate: &Value) -> &str {
    certificate["error"]["code"].as_str().unwrap_or("")
}

/// With a working certificate served, the CA plays `fault`; the box must report `expected`
/// and keep serving, and keeping on disk, exactly what it had.
fn survives(fault: &str, expected: &str) {
    let (ca, iot_box) = box_with_a_real_certificate();
    let served = iot_box.served();
    let files = iot_box.certificate_files();

    ca.set_fault(fault);
    iot_box.try_again();
    let certificate =
        iot_box.wait_certificate(&format!("the {fault} failure"), |c| !c["error"].is_null());
    assert_eq!(code(&certificate), expected, "{certificate}");
    // The served certificate still works: the renewal failed, not the box.
    assert_eq!(certificate["state"], "ok", "{certificate}");
    assert_eq!(
        iot_box.served(),
        served,
        "the served certificate is unchanged"
    );
    assert_eq!(
        iot_box.certificate_files(),
        files,
        "the files are unchanged"
    );
    assert_eq!(ca.requests(), 2);
}

#[test]
fn survives_a_server_error_status() {
    survives("status 503", "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 503");
}

#[test]
fn survives_a_server_that_hangs() {
    survives("hang", "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION");
}

#[test]
fn survives_a_server_slower_than_the_timeout() {
    survives("slow 5s", "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION");
}

#[test]
fn survives_an_empty_result() {
    survives("empty", "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT");
}

#[test]
fn survives_garbage_pem() {
    survives("garbage-pem", "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT");
}

#[test]
fn survives_a_key_that_does_not_match() {
    survives("key-mismatch", "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT");
}

#[test]
fn survives_an_expired_certificate() {
    survives("expired", "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT");
}

#[test]
fn survives_a_certificate_for_another_subject() {
    survives("wrong-cn", "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT");
}

#[test]
fn survives_an_html_page_with_status_200() {
    survives("html", "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT");
}

#[test]
fn survives_an_oversized_answer() {
    survives("oversized", "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT");
}

#[test]
fn survives_a_connection_reset() {
    survives("reset", "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION");
}

#[test]
fn takes_a_certificate_that_starts_a_little_ahead_of_its_clock() {
    // The certificate server's clock two minutes ahead of the box's.
    let ca = LocalCa::start(&["--fault", "ahead 2m"]);
    let iot_box = IotBox::start(&demo_settings(), &ca.url(), Some(&ca.ca_file), &[]);
    let certificate = iot_box.wait_certificate("the certificate", |c| {
        (c["state"] == "ok" && c["temporary"] == false) || !c["error"].is_null()
    });
    assert_eq!(certificate["state"], "ok", "{certificate}");
    assert_eq!(certificate["temporary"], false, "{certificate}");
    assert_eq!(ca.requests(), 1);
}
