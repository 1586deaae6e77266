//! The box's figures for a fleet: `GET /metrics` in the Prometheus text format. A real
//! Prometheus (Debian's) scrapes a box on loopback and answers a query for the certificate's
//! expiry over its HTTP API; behind an admin password a scrape needs the metrics token, and
//! no figure carries a secret.

mod support;

use serde_json::Value;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::*;

const TOKEN: &str = "scrape-token-5b1f0c";

/// A box with a certificate from a local authority, an admin password, and `TOKEN`.
fn guarded_box() -> (LocalCa, IotBox, Value) {
    let ca = LocalCa::start(&[]);
    let iot_box = IotBox::start(
        &demo_settings(),
        &ca.url(),
        Some(&ca.ca_file),
        &["--metrics-token", TOKEN],
    );
    let certificate = iot_box.wait_certificate("a certificate from the authority", |c| {
        c["state"] == "ok" && c["temporary"] == false
    });
    iot_box.post_form(
        "/api/access/password",
        &[
            ("password", "correct horse battery"),
            ("confirmation", "correct horse battery"),
        ],
    );
    (ca, iot_box, certificate)
}

fn scrape(iot_box: &IotBox, authorization: Option<&str>) -> (u16, String, String) {
    let mut request = http_client().get(format!("http://127.0.0.1:{}/metrics", iot_box.http_port));
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    let response = request.send().unwrap();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (response.status().as_u16(), kind, response.text().unwrap())
}

fn unix_seconds(rfc3339: &str) -> i64 {
    time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .unwrap()
        .unix_timestamp()
}

#[test]
fn behind_an_admin_password_a_scrape_needs_the_token_and_shows_no_secret() {
    let (_ca, iot_box, certificate) = guarded_box();
    assert_eq!(scrape(&iot_box, None).0, 401);
    assert_eq!(scrape(&iot_box, Some("Bearer wrong")).0, 401);
    iot_box.status();
    // Three loads close together: rendered once, given twice again; all counted as the
    // homepage's.
    for _ in 0..3 {
        iot_box.visit_homepage();
    }
    let (status, kind, text) = scrape(&iot_box, Some(&format!("Bearer {TOKEN}")));
    assert_eq!(status, 200, "{text}");
    assert!(kind.starts_with("application/openmetrics-text"), "{kind}");
    let not_after = unix_seconds(certificate["not_after"].as_str().unwrap());
    for line in [
        format!("iotbox_certificate_not_after_seconds {not_after}"),
        "iotbox_certificate_temporary 0".to_string(),
        "iotbox_certificate_state{state=\"ok\",error_code=\"\"} 1".to_string(),
        "iotbox_certificate_requests_total{outcome=\"ok\"} 1".to_string(),
        "iotbox_web_requests_total{route=\"/api/status\",status=\"200\"}".to_string(),
        "iotbox_web_requests_total{route=\"/\",status=\"200\"} 3".to_string(),
        "iotbox_web_requests_total{route=\"/metrics\",status=\"401\"} 2".to_string(),
        "# EOF".to_string(),
    ] {
        assert!(text.contains(&line), "no `{line}` in:\n{text}");
    }
    let demo = iotbox::local_ca::demo_credential();
    for secret in [demo.db_uuid.as_str(), demo.contract_number.expose(), TOKEN] {
        assert!(!text.contains(secret), "a secret in the figures");
    }
}

#[test]
fn a_real_prometheus_scrapes_the_box_and_answers_for_the_expiry() {
    let (_ca, iot_box, certificate) = guarded_box();
    let folder = tempfile::tempdir().unwrap();
    let config = folder.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: iotbox\n    \
             authorization:\n      credentials: {TOKEN}\n    static_configs:\n      \
             - targets: ['127.0.0.1:{}']\n",
            iot_box.http_port
        ),
    )
    .unwrap();
    // Prometheus takes a port, not port 0: one the system just gave, free again.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _prometheus = Process(
        Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                folder.path().join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Debian's prometheus (scripts/install-tools.sh --tests installs it)"),
    );
    let client = http_client();
    let query = |expression: &str| -> Option<String> {
        let asked = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("query", expression)
            .finish();
        let answer: Value = client
            .get(format!("http://127.0.0.1:{port}/api/v1/query?{asked}"))
            .send()
            .ok()?
            .json()
            .ok()?;
        answer["data"]["result"][0]["value"][1]
            .as_str()
            .map(String::from)
    };
    let expiry = wait_for(
        "Prometheus to have scraped the box",
        Duration::from_secs(60),
        || query("iotbox_certificate_not_after_seconds"),
    );
    let not_after = unix_seconds(certificate["not_after"].as_str().unwrap());
    assert_eq!(expiry, not_after.to_string());
    assert_eq!(query("up{job=\"iotbox\"}").as_deref(), Some("1"));
    // The alert of docs/administrator.md: expires in less than 7 days, here false.
    assert_eq!(
        query("(iotbox_certificate_not_after_seconds - time()) < 7 * 86400"),
        None
    );
}

#[test]
fn the_alert_rules_of_the_readme_are_valid_prometheus_rules() {
    let rules = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../packaging/prometheus/iotbox-alerts.yml"
    );
    let checked = Command::new("promtool")
        .args(["check", "rules", rules])
        .output()
        .expect("Debian's promtool (with prometheus)");
    assert!(
        checked.status.success(),
        "{}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
}
