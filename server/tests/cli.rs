//! The command line as an installer meets it: a bad value stops the box with one line on
//! stderr and exit code 2.

use std::process::Command;

fn iotbox(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let data_dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_iotbox"))
        .env_clear()
        .env("IOTBOX_DATA_DIR", data_dir.path())
        .envs(env.iter().copied())
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_bad_value_stops_start_up_with_one_line_and_exit_code_2() {
    for (args, env, expected) in [
        (&["--http-addr", "localhost"][..], &[][..], "--http-addr"),
        (&[], &[("IOTBOX_HTTPS_ADDR", "nowhere")][..], "--https-addr"),
        (
            &["--cert-server-ca", "/nonexistent/ca.pem"],
            &[],
            "cannot read it",
        ),
        (
            &["--cert-server", "ftp://example.com/x509"],
            &[],
            "http or https",
        ),
        (&["--poll-interval", "0s"], &[], "between 1s and 1h"),
    ] {
        let (code, stderr) = iotbox(args, env);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with("iotbox: ") && stderr.contains(expected),
            "{stderr}"
        );
    }
}

#[test]
fn a_malformed_settings_file_stops_start_up() {
    let data_dir = tempfile::tempdir().unwrap();
    std::fs::write(data_dir.path().join("settings.toml"), "[odoo\n").unwrap();
    let path = data_dir.path().to_str().unwrap();
    let (code, stderr) = iotbox(
        &[
            "--data-dir",
            path,
            "--http-addr",
            "127.0.0.1:0",
            "--https-addr",
            "127.0.0.1:0",
        ],
        &[],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("settings.toml"), "{stderr}");
}

#[test]
fn help_lists_every_setting() {
    let output = Command::new(env!("CARGO_BIN_EXE_iotbox"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--data-dir",
        "--http-addr",
        "--https-addr",
        "--site-root",
        "--cert-server ",
        "--cert-server-ca",
        "--cert-server-timeout",
        "--poll-interval",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
}

#[test]
fn the_box_runs_no_local_authority_and_iotbox_local_does() {
    // The stand-ins for the vendor's services are another binary's, left out of the box's.
    let (code, stderr) = iotbox(&["local-ca"], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("local-ca"), "{stderr}");
    for service in ["ca", "dns"] {
        let help = Command::new(env!("CARGO_BIN_EXE_iotbox-local"))
            .args([service, "--help"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&help.stdout);
        assert!(
            help.status.success() && text.contains("--addr"),
            "{service}: {text}"
        );
    }
}
