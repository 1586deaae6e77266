//! The certificate engine through the real binary: a box process asking a local certificate
//! authority process, over real TLS on loopback.

mod support;

use serde_json::Value;
use support::*;

fn code(certificate: &Value) -> &str {
    certificate["error"]["code"].as_str().unwrap_or("")
}

#[test]
fn serves_a_temporary_certificate_at_once_then_the_real_one() {
    let ca = LocalCa::start(&["--fault", "slow 1s"]);
    let iot_box = IotBox::start(&demo_settings(), &ca.url(), Some(&ca.ca_file), &[]);
    assert_eq!(iot_box.served().common_name, "OdooTempIoTBoxCertificate");

    let certificate = iot_box.wait_certificate("the real certificate", |c| c["state"] == "ok");
    let subject = certificate["subject"].as_str().unwrap();
    assert!(
        subject.starts_with("*.") && subject.ends_with(".iotbox.localhost"),
        "{subject}"
    );
    assert_eq!(iot_box.served().common_name, subject);
    assert_eq!(certificate["temporary"], false);
    assert!(certificate["days_left"].as_i64().unwrap() >= 59);
    let address = certificate["https_address"].as_str().unwrap();
    assert!(
        address.ends_with(&format!("{}:{}", &subject[1..], iot_box.https_port)),
        "{address}"
    );
    assert_eq!(ca.requests(), 1);
}

#[test]
fn no_server_is_reported_and_nothing_is_asked() {
    let ca = LocalCa::start(&[]);
    let iot_box = IotBox::start(&settings(false, None), &ca.url(), Some(&ca.ca_file), &[]);
    let certificate = iot_box.wait_certificate("an error", |c| c["state"] == "error");
    assert_eq!(code(&certificate), "ERR_IOT_HTTPS_CHECK_NO_SERVER");
    assert_eq!(certificate["temporary"], true);
    // Said once the worker has decided: it could have asked by then.
    iot_box.wait_worker_looked();
    assert_eq!(iot_box.certificate()["last_attempt"], Value::Null);
    assert_eq!(ca.requests(), 0);
}

#[test]
fn an_unreadable_certificate_file_is_reported_with_its_reason_and_replaced_by_itself() {
    // The authority answers after 2 s: time to read the report before the box heals.
    let ca = LocalCa::start(&["--fault", "slow 2s"]);
    let data_dir = tempfile::tempdir().unwrap();
    std::fs::write(data_dir.path().join("settings.toml"), demo_settings()).unwrap();
    let current = data_dir.path().join("certificate").join("current");
    std::fs::create_dir_all(&current).unwrap();
    std::fs::write(current.join("cert.pem"), "not a certificate").unwrap();
    std::fs::write(current.join("key.pem"), "not a key").unwrap();
    let iot_box = IotBox::start_in(data_dir, &ca.url(), Some(&ca.ca_file), &[]);
    let certificate = iot_box.wait_certificate("the reason", |c| !c["error"].is_null());
    assert_eq!(
        code(&certificate),
        "ERR_IOT_HTTPS_CHECK_CERT_READ_EXCEPTION"
    );
    assert!(certificate["error"]["detail"]
        .as_str()
        .unwrap()
        .contains("cert.pem"));

    // Nobody presses anything: the box asks by itself, once.
    iot_box.wait_certificate("a new certificate", |c| {
        c["state"] == "ok" && c["temporary"] == false
    });
    assert_eq!(ca.requests(), 1);
    // The unreadable files are kept aside, for whoever wants to look at them.
    let kept = std::fs::read_dir(iot_box.data_dir.path().join("certificate"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.to_string_lossy().contains("pair-replaced-"))
        .expect("the unreadable pair kept aside");
    assert_eq!(
        std::fs::read_to_string(kept.join("cert.pem")).unwrap(),
        "not a certificate"
    );
}

#[test]
fn a_corrupt_current_pair_falls_back_to_the_previous_one_while_a_new_one_comes() {
    // 5-day certificates are always due: "Try again" brings a second pair.
    let ca = LocalCa::start(&["--validity", "5days"]);
    let iot_box = IotBox::start(&demo_settings(), &ca.url(), Some(&ca.ca_file), &[]);
    iot_box.wait_certificate("a real certificate", |c| {
        c["temporary"] == false && c["state"] == "ok"
    });
    let previous = iot_box.served();
    iot_box.try_again();
    wait_for(
        "a second certificate",
        std::time::Duration::from_secs(20),
        || (iot_box.served().serial != previous.serial).then_some(()),
    );
    iot_box.wait_certificate("the second recorded", |c| c["state"] == "ok");
    let data_dir = iot_box.stop();
    // A failing card: the current certificate reads as garbage.
    let current = data_dir.path().join("certificate/current/cert.pem");
    std::fs::write(&current, "-----BEGIN CERTIFICATE-----\ngarbage\n").unwrap();

    ca.set_fault("slow 3s");
    let asked_before = ca.requests();
    let iot_box = IotBox::start_in(data_dir, &ca.url(), Some(&ca.ca_file), &[]);
    // At once, while the new one is being asked for: the kept previous pair, not the
    // temporary certificate.
    assert_eq!(iot_box.served().fingerprint, previous.fingerprint);
    let certificate = iot_box.wait_certificate("a third certificate", |c| {
        c["state"] == "ok" && c["error"].is_null()
    });
    assert_eq!(certificate["temporary"], false);
    assert_ne!(iot_box.served().fingerprint, previous.fingerprint);
    assert_eq!(ca.requests(), asked_before + 1, "asked once, by itself");
}

#[test]
fn a_missing_credential_is_reported_and_nothing_is_asked() {
    let ca = LocalCa::start(&[]);
    let iot_box = IotBox::start(&settings(true, None), &ca.url(), Some(&ca.ca_file), &[]);
    let certificate = iot_box.wait_certificate("an error", |c| c["state"] == "error");
    assert_eq!(code(&certificate), "ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL");
    iot_box.wait_worker_looked();
    assert_eq!(iot_box.certificate()["last_attempt"], Value::Null);
    assert_eq!(ca.requests(), 0);
}

#[test]
fn an_unreachable_server_is_a_request_exception() {
    let closed_port = ClosedPort::new();
    let closed = format!(
        "https://127.0.0.1:{}/odoo-enterprise/iot/x509",
        closed_port.port
    );
    let iot_box = IotBox::start(&demo_settings(), &closed, None, &[]);
    let certificate = iot_box.wait_certificate("an error", |c| c["state"] == "error");
    assert_eq!(code(&certificate), "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION");
    let detail = certificate["error"]["detail"].as_str().unwrap();
    assert!(detail.to_lowercase().contains("refused"), "{detail}");
    assert!(
        certificate["next_attempt"].is_string(),
        "a retry is planned"
    );
}

#[test]
fn an_untrusted_server_certificate_is_a_request_exception() {
    let ca = LocalCa::start(&[]);
    // The box is not told to trust the local CA: TLS verification must refuse it.
    let iot_box = IotBox::start(&demo_settings(), &ca.url(), None, &[]);
    let certificate = iot_box.wait_certificate("an error", |c| c["state"] == "error");
    assert_eq!(code(&certificate), "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION");
    let detail = certificate["error"]["detail"].as_str().unwrap();
    // rustls refused the server's certificate: signed by a root the box does not trust.
    assert!(detail.contains("UnknownIssuer"), "{detail}");
    assert_eq!(iot_box.served().common_name, "OdooTempIoTBoxCertificate");
}

#[test]
fn a_status_other_than_200_is_reported_with_its_code() {
    let ca = LocalCa::start(&["--fault", "status 404"]);
    let iot_box = IotBox::start(&demo_settings(), &ca.url(), Some(&ca.ca_file), &[]);
    let certificate = iot_box.wait_certificate("an error", |c| c["state"] == "error");
    assert_eq!(code(&certificate), "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404");
    assert!(certificate["error"]["detail"]
        .as_str()
        .unwrap()
        .contains("Not Found"));
}

#[test]
fn an_ineligible_database_gets_no_result() {
    let ca = LocalCa::start(&[]);
    let other = settings(
        true,
        Some(("11111111-2222-4333-8444-555555555555", "NOT-KNOWN")),
    );
    let iot_box = IotBox::start(&other, &ca.url(), Some(&ca.ca_file), &[]);
    let certificate = iot_box.wait_certificate("an error", |c| c["state"] == "error");
    assert_eq!(code(&certificate), "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT");
    // The server's own words, as the owner needs to read them.
    assert_eq!(
        certificate["error"]["reason"],
        "No IoT box subscription was found for this database"
    );
    assert_eq!(ca.requests(), 1);
}

#[test]
fn obeys_retry_after_with_503_and_429() {
    for status in [503, 429] {
        let ca = LocalCa::start(&["--fault", &format!("status {status} retry-after 7200")]);
        let iot_box = IotBox::start(&demo_settings(), &ca.url(), Some(&ca.ca_file), &[]);
        let certificate = iot_box.wait_certificate("an error", |c| c["state"] == "error");
        assert_eq!(
            code(&certificate),
            format!("ERR_IOT_HTTPS_LOAD_REQUEST_STATUS {status}")
        );
        let time_of = |field: &str| {
            time::OffsetDateTime::parse(
                certificate[field].as_str().unwrap(),
                &time::format_description::well_known::Rfc3339,
            )
            .unwrap()
        };
        let wait = time_of("next_attempt") - time_of("last_attempt");
        assert!(wait >= time::Duration::hours(2), "{certificate}");
        // A person refreshing the page does not override the server's own request.
        iot_box.visit_homepage();
        std::thread::sleep(std::time::Duration::from_millis(500));
        iot_box.certificate();
        std::thread::sleep(std::time::Duration::from_millis(500));
        assert_eq!(ca.requests(), 1);
    }
}

#[test]
fn files_stay_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let ca = LocalCa::start(&[]);
    let data_dir = tempfile::tempdir().unwrap();
    std::fs::write(data_dir.path().join("settings.toml"), demo_settings()).unwrap();
    let iot_box =
        IotBox::start_configured(data_dir, &ca.url(), Some(&ca.ca_file), &[], |command| {
            // SAFETY: umask is async-signal-safe and touches no memory of the parent.
            unsafe {
                command.pre_exec(|| {
                    libc::umask(0);
                    Ok(())
                });
            }
        });
    iot_box.wait_certificate("the real certificate", |c| c["state"] == "ok");
    let data = iot_box.data_dir.path();
    let mode = |path: &str| {
        std::fs::metadata(data.join(path))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    for (path, expected) in [
        ("certificate", 0o700),
        ("certificate/current", 0o700),
        ("certificate/current/key.pem", 0o600),
        ("certificate/current/cert.pem", 0o644),
        ("settings.toml", 0o600),
        ("logs", 0o700),
        ("logs/iotbox.log", 0o600),
    ] {
        assert_eq!(mode(path), expected, "{path}: {:o}", mode(path));
    }
}

#[test]
fn renews_without_restart_and_a_tls_client_sees_the_new_serial() {
    let (_ca, iot_box) = box_with_a_real_certificate();
    let pid = iot_box.pid();
    let mut open_connection = iot_box.tls_connect();
    let before = PresentedCertificate::of(&open_connection.conn);
    assert_eq!(get_over(&mut open_connection), "HTTP/1.1 200 OK");

    iot_box.try_again();
    let after = wait_for(
        "the renewed certificate",
        std::time::Duration::from_secs(20),
        || {
            let served = iot_box.served();
            (served.serial != before.serial).then_some(served)
        },
    );
    assert_eq!(after.common_name, before.common_name);
    assert_eq!(iot_box.pid(), pid, "same process: no restart");
    // The connection opened before the renewal is still served.
    assert_eq!(get_over(&mut open_connection), "HTTP/1.1 200 OK");
}

#[test]
fn many_simultaneous_polls_make_exactly_one_request() {
    let ca = LocalCa::start(&["--fault", "slow 500ms"]);
    let iot_box = IotBox::start(&settings(false, None), &ca.url(), Some(&ca.ca_file), &[]);
    iot_box.wait_certificate("the box to be idle", |c| c["state"] == "error");
    // Connected and credentialed while nobody looks: the next poll finds a certificate due.
    std::fs::write(
        iot_box.data_dir.path().join("settings.toml"),
        demo_settings(),
    )
    .unwrap();

    let url = iot_box.status_url();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(200));
    let polls: Vec<_> = (0..200)
        .map(|_| {
            let (url, barrier) = (url.clone(), barrier.clone());
            std::thread::spawn(move || {
                let client = http_client();
                barrier.wait();
                client.get(&url).send().unwrap().status()
            })
        })
        .collect();
    for poll in polls {
        assert!(poll.join().unwrap().is_success());
    }
    iot_box.wait_certificate("the certificate", |c| c["state"] == "ok");
    assert_eq!(ca.requests(), 1);
}

#[test]
fn a_change_is_in_the_status_asked_for_right_after_it() {
    let ca = LocalCa::start(&[]);
    let iot_box = IotBox::start(&settings(false, None), &ca.url(), Some(&ca.ca_file), &[]);
    // A status, a change and a status again, each round within the time a look may be taken
    // again as it is (`web/status_feed.rs`): the look from before the change must not be.
    for level in ["debug", "info"].into_iter().cycle().take(20) {
        iot_box.status();
        iot_box.post_form(
            "/api/log-level",
            &[("root", level), ("certificate", "info"), ("web", "info")],
        );
        let status = iot_box.status();
        assert_eq!(status["log_level"]["levels"]["root"], level, "{status}");
    }
}

#[test]
fn a_change_is_in_the_page_loaded_right_after_it() {
    let ca = LocalCa::start(&[]);
    let iot_box = IotBox::start(&settings(false, None), &ca.url(), Some(&ca.ca_file), &[]);
    // As a browser without JavaScript: a page, a change posted, the page again, each round
    // within the time a rendered page is given again (`web/page_cache.rs`).
    let selected = |level: &str| format!("<option value=\"{level}\" selected>");
    for (level, shown) in [("debug", "Debug"), ("info", "Info")]
        .into_iter()
        .cycle()
        .take(20)
    {
        iot_box.get_text("/?advanced");
        iot_box.post_form(
            "/api/log-level",
            &[("root", level), ("certificate", "info"), ("web", "info")],
        );
        let page = iot_box.get_text("/?advanced");
        let root = page
            .split("name=\"root\"")
            .nth(1)
            .expect("the log level form");
        let root = &root[..root.find("</select>").unwrap()];
        assert!(root.contains(&selected(shown)), "{root}");
    }
}

#[test]
fn the_page_carries_the_tag_of_the_status_it_shows() {
    let ca = LocalCa::start(&[]);
    let iot_box = IotBox::start(&settings(false, None), &ca.url(), Some(&ca.ca_file), &[]);
    let client = http_client();
    let get = |path: &str| {
        client
            .get(format!("http://127.0.0.1:{}{path}", iot_box.http_port))
            .send()
            .unwrap()
    };
    // The box may look again between the two: the same tag within a few tries.
    let same = (0..20).any(|_| {
        let status = get("/api/status");
        let etag = status.headers()["etag"].to_str().unwrap().to_string();
        let page = get("/").text().unwrap();
        let carried = page
            .split("data-status-tag=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the page's status tag")
            .to_string();
        etag == format!("W/\"{carried}\"")
    });
    // The open page takes the status it shows for news otherwise, and reads itself again.
    assert!(same, "the page's tag is never its status's ETag");
}

#[test]
fn a_page_given_again_has_a_nonce_of_its_own() {
    let ca = LocalCa::start(&[]);
    let iot_box = IotBox::start(&settings(false, None), &ca.url(), Some(&ca.ca_file), &[]);
    let client = http_client();
    let load = || {
        let page = client
            .get(format!("http://127.0.0.1:{}/", iot_box.http_port))
            .send()
            .unwrap();
        let policy = page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        let nonce = policy.split("'nonce-").nth(1).unwrap();
        let nonce = nonce[..nonce.find('\'').unwrap()].to_string();
        (nonce, page.text().unwrap())
    };
    // Loads close together: most are the page given again (a render a second at most).
    let loads: Vec<_> = (0..20).map(|_| load()).collect();
    let mut nonces: Vec<_> = loads.iter().map(|(nonce, _)| nonce.clone()).collect();
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), loads.len(), "a nonce given twice");
    // The page's scripts: its loader and Leptos's two small ones.
    let without_nonce = |(nonce, page): &(String, String)| {
        assert_eq!(
            page.matches(&format!("nonce=\"{nonce}\"")).count(),
            3,
            "{page}"
        );
        page.replace(nonce.as_str(), "")
    };
    let first = without_nonce(&loads[0]);
    for load in &loads[1..] {
        assert_eq!(without_nonce(load), first);
    }
}

#[test]
fn a_certificate_that_comes_due_is_not_asked_for_at_every_visit() {
    let (ca, iot_box) = box_with_a_real_certificate();
    let certificate = iot_box.certificate();
    assert_eq!(certificate["renewal_deferred"], true, "{certificate}");
    // A page reloaded every second for half a minute, as a busy counter would.
    for _ in 0..30 {
        iot_box.visit_homepage();
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    assert_eq!(ca.requests(), 1);
    let parse = |field: &str| {
        time::OffsetDateTime::parse(
            certificate[field].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap()
    };
    let wait = parse("next_attempt") - parse("last_attempt");
    assert!(
        (time::Duration::minutes(48)..=time::Duration::minutes(72)).contains(&wait),
        "asks again in {wait}"
    );
}
