//! The support report, from a box whose renewal fails with a status: it carries the code,
//! the diagnostics, the settings masked and the log, and no secret at all: not the contract
//! number, the database UUID, the private key nor the admin password's hash.

mod support;

use support::*;

#[test]
fn the_report_says_what_support_needs_and_no_secret() {
    let (ca, iot_box) = box_with_a_real_certificate();
    ca.set_fault("status 503");
    iot_box.try_again();
    iot_box.wait_certificate("the failure", |c| !c["error"].is_null());
    let client = http_client();
    let response = client
        .get(format!(
            "http://127.0.0.1:{}/api/support-report",
            iot_box.http_port
        ))
        .send()
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"iotbox-"),
        "{disposition}"
    );
    assert!(disposition.ends_with("-support.txt\""), "{disposition}");
    let report = response.text().unwrap();

    assert!(
        report.contains("error code: ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 503"),
        "{report}"
    );
    assert!(
        report.contains("\"server_error\""),
        "the route's verdict: {report}"
    );
    assert!(
        report.contains("\"address\""),
        "the address check: {report}"
    );
    assert!(report.contains("[credential]\ndb_uuid = ••••"), "{report}");
    assert!(
        report.contains("no certificate"),
        "the log's lines: {report}"
    );

    let settings = demo_settings();
    let value = |key: &str| {
        settings
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{key} = \"")))
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap()
            .to_string()
    };
    let key_pem =
        std::fs::read_to_string(iot_box.data_dir.path().join("certificate/current/key.pem"))
            .unwrap();
    let key_body: String = key_pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    for secret in [
        value("contract_number"),
        value("db_uuid"),
        key_body[..40].to_string(),
    ] {
        assert!(!report.contains(&secret), "{secret} in the report");
    }
}
