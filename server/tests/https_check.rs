//! `GET /api/https-check` on the HTTPS listener: the answer names the box, and only the box's
//! own pages may read it from another origin; another site learns nothing.

mod support;

use reqwest::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN};
use serde_json::Value;
use support::*;

#[test]
fn only_the_box_own_pages_may_read_it_across_origins() {
    let (_ca, iot_box) = box_with_a_real_certificate();
    let name = iot_box.status()["name"].as_str().unwrap().to_string();
    let client = reqwest::blocking::Client::builder()
        .tls_backend_preconfigured(accepting_anything())
        .build()
        .unwrap();
    let ask = |origin: &str| {
        client
            .get(format!(
                "https://127.0.0.1:{}/api/https-check",
                iot_box.https_port
            ))
            .header(ORIGIN, origin)
            .send()
            .unwrap()
    };

    let page_origin = format!("http://127.0.0.1:{}", iot_box.http_port);
    let answer = ask(&page_origin);
    assert_eq!(
        answer.headers()[ACCESS_CONTROL_ALLOW_ORIGIN],
        page_origin.as_str()
    );
    assert_eq!(answer.headers()["vary"], "Origin");
    assert_eq!(answer.headers()["cache-control"], "no-store");
    assert_eq!(answer.json::<Value>().unwrap()["box"], name.as_str());

    for stranger in [
        "http://evil.example",
        "https://192-0-2-9.attacker.example",
        "http://203.0.113.5",
        "null",
    ] {
        let answer = ask(stranger);
        assert!(
            answer.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).is_none(),
            "{stranger} may read it"
        );
    }
}
