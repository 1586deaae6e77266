//! The logs as people read them, the download and the live view: secrets are taken out even
//! when a line carries them (here written into the log file by hand, as a library might),
//! and the view filters by level.

mod support;

use serde_json::Value;
use std::io::Write;
use support::*;

const DB_UUID: &str = "2f1e0d3c-4b5a-4978-8695-a4b3c2d1e0f9";
const CONTRACT: &str = "M2611259999";

#[test]
fn neither_the_download_nor_the_live_view_shows_a_secret() {
    let closed = ClosedPort::new();
    let iot_box = IotBox::start(
        &settings(true, Some((DB_UUID, CONTRACT))),
        &format!("https://127.0.0.1:{}/x509", closed.port),
        None,
        &[],
    );
    let log = iot_box.data_dir.path().join("logs").join("iotbox.log");
    let mut file = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    // One write: the box may be appending its own start-up lines at the same moment, and an
    // append of one write is never cut by another.
    let line = format!(
        "2026-11-27T01:00:00.000000Z  WARN some_library: sent contract_number={CONTRACT} db={} \
         key=-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n",
        DB_UUID.to_uppercase()
    );
    file.write_all(line.as_bytes()).unwrap();
    drop(file);
    let client = http_client();
    let base = format!("http://127.0.0.1:{}", iot_box.http_port);

    let download = client
        .get(format!("{base}/api/logs"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    let tail: Value = client
        .get(format!("{base}/api/logs/tail?level=warning"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let lines = tail["lines"].as_array().unwrap();
    let injected = lines
        .iter()
        .find(|line| line["target"] == "some_library")
        .expect("the line written by hand");
    assert_eq!(
        injected["message"],
        "sent contract_number=[redacted] db=[redacted] key=[private key removed]"
    );
    // The filter: warnings and errors only.
    assert!(lines
        .iter()
        .all(|line| line["level"] == "warning" || line["level"] == "error"));
    for text in [download.as_str(), &tail.to_string()] {
        for secret in [CONTRACT, DB_UUID, &DB_UUID.to_uppercase(), "MIIEvQIBADANBg"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    assert!(download.contains("db=[redacted]"));
}
