//! The box killed at each step of storing a new pair, as a power cut would: started again, it
//! serves a whole, matching pair, the old one or the new one, never a missing, half-written
//! or mismatched one. Needs the `crash-points` feature (`scripts/test` turns it on).
#![cfg(feature = "crash-points")]

mod support;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use std::os::unix::process::ExitStatusExt;
use support::*;

/// Every point of a save, in the order a save reaches them (`files/crash_point.rs`).
const POINTS: [&str; 18] = [
    "made the incoming folder",
    "wrote cert.pem",
    "synced cert.pem",
    "renamed cert.pem",
    "synced the folder of cert.pem",
    "wrote key.pem",
    "synced key.pem",
    "renamed key.pem",
    "synced the folder of key.pem",
    "renamed the pair folder",
    "linked the new pair",
    "switched current",
    "synced the certificate folder",
    "removed an older pair",
    "wrote settings.toml",
    "synced settings.toml",
    "renamed settings.toml",
    "synced the folder of settings.toml",
];

/// The fingerprint of the certificate in `current/cert.pem`.
fn fingerprint_on_disk(data_dir: &std::path::Path) -> String {
    let path = data_dir.join("certificate/current/cert.pem");
    let leaf = CertificateDer::pem_file_iter(&path)
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    iotbox_core::certificate::fingerprint::sha256_hex(leaf.as_ref())
}

#[test]
fn killed_at_any_step_of_storing_a_pair_it_comes_back_with_a_whole_one() {
    // 5-day certificates are always due: a box asks for a new one as soon as it starts.
    let ca = LocalCa::start(&["--validity", "5days"]);
    let prepared = {
        let iot_box = IotBox::start(&demo_settings(), &ca.url(), Some(&ca.ca_file), &[]);
        iot_box.wait_certificate("a real certificate", |c| {
            c["temporary"] == false && c["state"] == "ok"
        });
        // A second pair, so that the next save also removes an older one.
        let first = iot_box.served();
        iot_box.try_again();
        wait_for(
            "a second certificate",
            std::time::Duration::from_secs(20),
            || (iot_box.served().serial != first.serial).then_some(()),
        );
        iot_box.wait_certificate("the second recorded", |c| c["state"] == "ok");
        iot_box.stop()
    };

    for point in POINTS {
        let data_dir = tempfile::tempdir().unwrap();
        copy_folder(prepared.path(), data_dir.path());
        ca.set_fault("none");
        let died = IotBox::run_until_crash(data_dir.path(), &ca.url(), &ca.ca_file, point);
        assert_eq!(died.signal(), Some(9), "{point}: not killed there ({died})");

        // Started again, with a certificate server that gives nothing new.
        ca.set_fault("status 503");
        let iot_box = IotBox::start_in(data_dir, &ca.url(), Some(&ca.ca_file), &[]);
        let certificate = iot_box
            .wait_certificate(&format!("the box back after \"{point}\""), |c| {
                c["state"] == "ok"
            });
        assert_eq!(certificate["temporary"], false, "{point}: {certificate}");
        let served = iot_box.served();
        assert_eq!(
            served.fingerprint,
            fingerprint_on_disk(iot_box.data_dir.path()),
            "{point}: the pair served is the one on disk"
        );
        let left: Vec<String> = std::fs::read_dir(iot_box.data_dir.path().join("certificate"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(".incoming"))
            .collect();
        assert!(left.is_empty(), "{point}: left half-made: {left:?}");
    }
}

#[test]
fn a_certificate_worker_that_panics_stops_the_box_for_systemd_to_start_again() {
    let ca = LocalCa::start(&[]);
    let data_dir = tempfile::tempdir().unwrap();
    std::fs::write(data_dir.path().join("settings.toml"), demo_settings()).unwrap();
    let point = ("IOTBOX_PANIC_AT", "switched current");
    let ended = IotBox::run_until_exit(data_dir.path(), &ca.url(), &ca.ca_file, point);
    assert_eq!(
        ended.code(),
        Some(3),
        "the worker's own exit code ({ended})"
    );

    // Started again (as `Restart=always` does), it serves the pair it had switched to.
    let iot_box = IotBox::start_in(data_dir, &ca.url(), Some(&ca.ca_file), &[]);
    iot_box.wait_certificate("the stored certificate", |c| {
        c["state"] == "ok" && c["temporary"] == false
    });
    assert_eq!(
        iot_box.served().fingerprint,
        fingerprint_on_disk(iot_box.data_dir.path())
    );
    assert_eq!(ca.requests(), 1, "the stored pair is not asked for again");
}

#[test]
fn a_failure_after_current_switched_is_no_failed_save() {
    let ca = LocalCa::start(&[]);
    let data_dir = tempfile::tempdir().unwrap();
    std::fs::write(data_dir.path().join("settings.toml"), demo_settings()).unwrap();
    // Syncing the folder fails once `current` has switched: the pair is stored all the same.
    let iot_box =
        IotBox::start_configured(data_dir, &ca.url(), Some(&ca.ca_file), &[], |box_command| {
            box_command.env("IOTBOX_FAIL_AT", "sync the certificate folder");
        });
    // Recorded, not only served: the worker serves a pair before it records how it went.
    let certificate = iot_box.wait_certificate("the new certificate, or a failure", |c| {
        (c["state"] == "ok" && c["temporary"] == false) || !c["error"].is_null()
    });
    assert_eq!(certificate["state"], "ok", "{certificate}");
    assert!(certificate["error"].is_null(), "{certificate}");
    assert_eq!(
        iot_box.served().fingerprint,
        fingerprint_on_disk(iot_box.data_dir.path()),
        "the stored pair is served"
    );
    assert_eq!(ca.requests(), 1, "and not asked for again");
    // Counted as the success it is (so the ERP is told, and no back-off follows), never as
    // a failed write.
    let metrics = iot_box.metrics().unwrap();
    assert!(
        metrics.contains("iotbox_certificate_requests_total{outcome=\"ok\"} 1"),
        "{metrics}"
    );
    assert!(!metrics.contains("CERT_READ_EXCEPTION"), "{metrics}");
}
