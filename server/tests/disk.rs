//! The box's disk failing it: full (a small tmpfs, mounted for the test: it needs root, as on
//! the test machines), and its data folder made read-only under it. The box keeps serving
//! what it has, says why it cannot save, and loses nothing.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::*;

/// A tmpfs of `size` mounted on a folder of its own, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self::run(
            &[
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ],
            &dir,
        );
        Self { dir }
    }

    fn run(args: &[&str], dir: &tempfile::TempDir) {
        let output = Command::new("mount")
            .args(args)
            .arg(dir.path())
            .output()
            .expect("mount");
        assert!(
            output.status.success(),
            "this test mounts a tmpfs, which needs root: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// A box with a real certificate, its files on `disk`; 5-day certificates, so that "Try
/// again" asks for a new one at once.
fn box_on(disk: &Tmpfs) -> (LocalCa, IotBox) {
    let ca = LocalCa::start(&["--validity", "5days"]);
    let data_dir = tempfile::tempdir_in(disk.path()).unwrap();
    std::fs::write(data_dir.path().join("settings.toml"), demo_settings()).unwrap();
    let iot_box = IotBox::start_in(data_dir, &ca.url(), Some(&ca.ca_file), &[]);
    iot_box.wait_certificate("a real certificate", |c| {
        c["temporary"] == false && c["state"] == "ok"
    });
    (ca, iot_box)
}

/// Saves a new credential through the form's action, as a script would.
fn save_credential(iot_box: &IotBox) -> (u16, String) {
    let response = http_client()
        .post(format!(
            "http://127.0.0.1:{}/api/credential/save",
            iot_box.http_port
        ))
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("db_uuid=6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10&contract_number=M2611250001")
        .send()
        .unwrap();
    (response.status().as_u16(), response.text().unwrap())
}

/// Asks for a new certificate and waits until the box says why it has none.
fn renewal_failure(iot_box: &IotBox) -> Value {
    iot_box.try_again();
    iot_box.wait_certificate("the renewal to fail", |c| !c["error"].is_null())
}

fn fill(disk: &Tmpfs) -> PathBuf {
    use std::io::Write;
    let filler = disk.path().join("filler");
    let mut file = std::fs::File::create(&filler).unwrap();
    while file.write_all(&[0; 4096]).is_ok() {}
    filler
}

#[test]
fn a_full_disk_is_said_keeps_the_pair_served_and_loses_nothing() {
    let disk = Tmpfs::mount("512k");
    let (_ca, iot_box) = box_on(&disk);
    let served = iot_box.served();
    let files = iot_box.certificate_files();
    let settings = std::fs::read(iot_box.data_dir.path().join("settings.toml")).unwrap();
    let filler = fill(&disk);

    let certificate = renewal_failure(&iot_box);
    assert_eq!(certificate["state"], "ok", "the old pair still works");
    let detail = certificate["error"]["detail"].as_str().unwrap();
    assert!(detail.contains("could not write"), "{detail}");
    assert!(detail.contains("No space left on device"), "{detail}");
    assert_eq!(iot_box.served(), served);
    assert_eq!(iot_box.certificate_files(), files);

    let (status, answer) = save_credential(&iot_box);
    assert_eq!(status, 500, "{answer}");
    assert!(answer.contains("No space left on device"), "{answer}");
    let kept = std::fs::read(iot_box.data_dir.path().join("settings.toml")).unwrap();
    assert_eq!(kept, settings);

    // Space again: the next try works.
    std::fs::remove_file(filler).unwrap();
    iot_box.try_again();
    wait_for(
        "a new certificate",
        std::time::Duration::from_secs(20),
        || (iot_box.served().serial != served.serial).then_some(()),
    );
}

#[test]
fn a_read_only_data_folder_keeps_the_box_serving_and_says_why() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    // The box runs as its own user, as on an appliance; root would write through any mode.
    const NOBODY: u32 = 65534;
    let as_root = unsafe { libc::geteuid() } == 0;
    let ca = LocalCa::start(&["--validity", "5days"]);
    let data_dir = tempfile::tempdir().unwrap();
    let data = data_dir.path().to_owned();
    std::fs::write(data.join("settings.toml"), demo_settings()).unwrap();
    let ca_file = data.join("ca.pem");
    std::fs::copy(&ca.ca_file, &ca_file).unwrap();
    if as_root {
        std::os::unix::fs::chown(&data, Some(NOBODY), Some(NOBODY)).unwrap();
    }
    let iot_box = IotBox::start_configured(data_dir, &ca.url(), Some(&ca_file), &[], |command| {
        if as_root {
            // SAFETY: setgid and setuid are async-signal-safe.
            unsafe {
                command.pre_exec(|| {
                    if libc::setgid(NOBODY) != 0 || libc::setuid(NOBODY) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
    });
    iot_box.wait_certificate("a real certificate", |c| {
        c["temporary"] == false && c["state"] == "ok"
    });
    let served = iot_box.served();
    let files = iot_box.certificate_files();
    for folder in [data.clone(), data.join("certificate")] {
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o500)).unwrap();
    }

    let certificate = renewal_failure(&iot_box);
    assert_eq!(certificate["state"], "ok", "the old pair still works");
    let detail = certificate["error"]["detail"].as_str().unwrap();
    assert!(detail.contains("could not write"), "{detail}");
    assert!(detail.contains("Permission denied"), "{detail}");
    assert_eq!(iot_box.served(), served);
    assert_eq!(iot_box.certificate_files(), files);

    let (status, answer) = save_credential(&iot_box);
    assert_eq!(status, 500, "{answer}");
    assert!(answer.contains("Permission denied"), "{answer}");
    assert!(http_client()
        .get(iot_box.status_url())
        .send()
        .unwrap()
        .status()
        .is_success());
    // Writable again, so that the folders can be removed.
    for folder in [data.clone(), data.join("certificate")] {
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}
