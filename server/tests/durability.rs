//! What a power cut cannot undo, proved by the order of the box's own system calls under
//! strace, not by killing it (a killed process leaves the page cache behind, so a box that
//! never synced would pass that test too). For every file the box writes whole (the
//! certificate, its key, the settings), the temporary file is synced before it is renamed
//! over the real one, and the folder is synced after the rename; the certificate folder is
//! synced after `current` switches to the new pair.

mod support;

use std::collections::HashMap;
use std::path::PathBuf;
use support::*;

#[derive(Debug, PartialEq)]
enum Call {
    /// A sync that returned: what it synced is on the disk.
    Synced(PathBuf),
    /// A rename, as it was made.
    Renamed { from: PathBuf, to: PathBuf },
}

#[test]
fn every_file_is_synced_before_its_rename_and_its_folder_after() {
    let ca = LocalCa::start(&[]);
    let folders = tempfile::tempdir().unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    std::fs::write(data_dir.path().join("settings.toml"), settings(true, None)).unwrap();
    let trace = folders.path().join("strace.log");
    let iot_box =
        IotBox::start_configured(data_dir, &ca.url(), Some(&ca.ca_file), &[], |box_command| {
            *box_command = traced(
                box_command,
                &trace,
                "fsync,fdatasync,rename,renameat,renameat2",
            )
        });
    let demo = iotbox::local_ca::demo_credential();
    // The settings file is written (the credential), then the certificate and its key.
    iot_box.post_form(
        "/api/credential/save",
        &[
            ("db_uuid", demo.db_uuid.as_str()),
            ("contract_number", demo.contract_number.expose()),
        ],
    );
    iot_box.wait_certificate("a certificate from the authority", |c| {
        c["state"] == "ok" && c["temporary"] == false
    });
    let data = iot_box.data_dir.path().canonicalize().unwrap();
    stop_under_strace(iot_box.pid());

    let calls = calls(&std::fs::read_to_string(&trace).unwrap());
    let certificate_dir = data.join("certificate");
    let mut checked = Vec::new();
    for (index, call) in calls.iter().enumerate() {
        let Call::Renamed { from, to } = call else {
            continue;
        };
        let name = to.file_name().unwrap().to_string_lossy().into_owned();
        let folder = to.parent().unwrap();
        let (before, after) = (&calls[..index], &calls[index + 1..]);
        if ["cert.pem", "key.pem", "settings.toml"].contains(&name.as_str()) {
            assert!(
                before.contains(&Call::Synced(from.clone())),
                "{name}: {} was not synced before its rename",
                from.display()
            );
            assert!(
                after.contains(&Call::Synced(folder.to_path_buf())),
                "{name}: its folder {} was not synced after the rename",
                folder.display()
            );
            checked.push(name);
        } else if name == "current" {
            assert_eq!(folder, certificate_dir);
            assert!(
                after.contains(&Call::Synced(certificate_dir.clone())),
                "the certificate folder was not synced after `current` switched"
            );
            checked.push(name);
        }
    }
    checked.sort();
    checked.dedup();
    assert_eq!(
        checked,
        ["cert.pem", "current", "key.pem", "settings.toml"],
        "every kind of write was seen: {calls:#?}"
    );
}

/// The syncs and renames of a trace, in order: a sync when it returned, a rename when it
/// was made. A call another thread interrupted shows as `<unfinished ...>`, then
/// `<... fsync resumed>` on a line of its own.
fn calls(trace: &str) -> Vec<Call> {
    let mut unfinished: HashMap<&str, &str> = HashMap::new();
    let mut calls = Vec::new();
    for line in trace.lines() {
        let Some((pid, rest)) = line.split_once(' ') else {
            continue;
        };
        let rest = rest.trim_start();
        let whole = if rest.starts_with("<...") {
            // Resumed: the call as it began, and how it ended.
            match unfinished.remove(pid) {
                Some(began) => format!("{began}{}", rest.split_once('>').map_or("", |r| r.1)),
                None => continue,
            }
        } else if let Some(began) = rest.strip_suffix(" <unfinished ...>") {
            if began.starts_with("rename") {
                calls.extend(rename(began));
            }
            unfinished.insert(pid, began);
            continue;
        } else {
            if rest.starts_with("rename") {
                calls.extend(rename(rest));
            }
            rest.to_string()
        };
        if whole.starts_with("fsync(") || whole.starts_with("fdatasync(") {
            let succeeded = whole.trim_end().ends_with("= 0");
            let path = whole
                .split_once('<')
                .and_then(|(_, rest)| rest.split_once('>'))
                .map(|(path, _)| PathBuf::from(path));
            if let (true, Some(path)) = (succeeded, path) {
                calls.push(Call::Synced(path));
            }
        }
    }
    calls
}

/// `renameat2(AT_FDCWD</cwd>, "/data/.incoming-x", AT_FDCWD</cwd>, "/data/settings.toml", 0)`:
/// its two paths, resolved against their folders' descriptors.
fn rename(call: &str) -> Option<Call> {
    let mut paths = Vec::new();
    let mut before = "";
    for (index, part) in call.split('"').enumerate() {
        if index % 2 == 0 {
            before = part;
            continue;
        }
        let folder = before.rfind('<').and_then(|start| {
            let rest = &before[start + 1..];
            rest.find('>').map(|end| PathBuf::from(&rest[..end]))
        });
        paths.push(folder.unwrap_or_default().join(part));
    }
    let [from, to] = <[PathBuf; 2]>::try_from(paths).ok()?;
    Some(Call::Renamed { from, to })
}
