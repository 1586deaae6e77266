//! The box writes only under its data folder, so that it runs with everything else read-only
//! (the Debian package's `ProtectSystem=strict`, or a read-only root on an SD card). strace
//! watches every call that creates, opens for writing, renames, removes or changes a file
//! through a box's life: start on an empty folder, a certificate from the authority, forms
//! that save settings, the log download and the support report, and the stop. Each must
//! name a path under the data folder.

mod support;

use std::path::{Path, PathBuf};
use support::*;

/// The calls that write: creating, opening to write, renaming, removing, linking,
/// truncating, and changing modes, owners or times.
const WRITING_CALLS: &str = "open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,\
     unlink,unlinkat,rmdir,link,linkat,symlink,symlinkat,truncate,chmod,fchmodat,chown,lchown,\
     fchownat,utimensat,mknod,mknodat";

#[test]
fn the_box_writes_nowhere_but_its_data_folder() {
    let ca = LocalCa::start(&[]);
    let folders = tempfile::tempdir().unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    std::fs::write(data_dir.path().join("settings.toml"), settings(true, None)).unwrap();
    let trace = folders.path().join("strace.log");
    let iot_box =
        IotBox::start_configured(data_dir, &ca.url(), Some(&ca.ca_file), &[], |box_command| {
            *box_command = traced(box_command, &trace, WRITING_CALLS)
        });
    let client = http_client();
    let base = format!("http://127.0.0.1:{}", iot_box.http_port);
    let demo = iotbox::local_ca::demo_credential();
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
    iot_box.post_form(
        "/api/log-level",
        &[("root", "debug"), ("certificate", "info"), ("web", "info")],
    );
    for path in ["/", "/api/logs", "/api/support-report"] {
        let response = client.get(format!("{base}{path}")).send().unwrap();
        assert!(response.status().is_success(), "{path}: {response:?}");
    }
    let data_dir = iot_box.data_dir.path().canonicalize().unwrap();
    stop_under_strace(iot_box.pid());

    let log = std::fs::read_to_string(&trace).unwrap();
    // The box runs in this test's working directory.
    let cwd = std::env::current_dir().unwrap();
    let writes: Vec<Written> = log
        .lines()
        .filter_map(|line| Written::parse(line, &cwd))
        .collect();
    // The trace holds the box's own writes: its settings, its certificate, its log.
    for written in ["settings.toml", "certificate", "logs"] {
        assert!(
            writes.iter().any(|w| w.paths.iter().any(|p| p
                .strip_prefix(&data_dir)
                .is_ok_and(|p| p.starts_with(written)))),
            "no write of {written} in the trace: {log}"
        );
    }
    let elsewhere: Vec<String> = writes
        .iter()
        .filter(|w| {
            w.paths
                .iter()
                .any(|p| !p.starts_with(&data_dir) && !harmless(p))
        })
        .map(|w| format!("{} {:?}", w.call, w.paths))
        .collect();
    assert!(
        elsewhere.is_empty(),
        "written outside {}: {elsewhere:#?}",
        data_dir.display()
    );
    eprintln!("{} writing calls, all under the data folder", writes.len());
}

/// Writing to the terminal's null device is writing nowhere.
fn harmless(path: &Path) -> bool {
    path == Path::new("/dev/null")
}

/// A call of the trace that writes, and the paths it writes.
struct Written {
    call: String,
    paths: Vec<PathBuf>,
}

impl Written {
    /// From a line such as `123 openat(AT_FDCWD</data>, "/data/x.tmp", O_WRONLY|O_CREAT, 0600) = 5`
    /// or `123 renameat2(7</data/certificate>, "cert.pem.new", 7</data/certificate>, "cert.pem", 0) = 0`:
    /// every path the call names, resolved against its directory's descriptor, or against
    /// `cwd`, the box's working directory, when the call names none. A failed call counts:
    /// on a read-only root it is an error. An `open` only for reading is not a write.
    fn parse(line: &str, cwd: &Path) -> Option<Written> {
        let call_start = line.find(|c: char| c.is_ascii_alphabetic())?;
        let open = line[call_start..].find('(')? + call_start;
        let call = line[call_start..open].to_string();
        let args = &line[open + 1..];
        if call.starts_with("open") || call == "creat" {
            let writes = ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC"]
                .iter()
                .any(|flag| args.contains(flag));
            if !writes && call != "creat" {
                return None;
            }
        }
        // Each quoted path, after the directory it is relative to (`N</dir>`), if any.
        let mut paths = Vec::new();
        let mut before = "";
        for (index, part) in args.split('"').enumerate() {
            if index % 2 == 0 {
                before = part;
                continue;
            }
            let directory = before.rfind('<').and_then(|start| {
                let rest = &before[start + 1..];
                rest.find('>').map(|end| Path::new(&rest[..end]))
            });
            paths.push(directory.unwrap_or(cwd).join(part));
        }
        // A symbolic link's target is what it will hold, not a place written.
        if call.starts_with("symlink") && !paths.is_empty() {
            paths.remove(0);
        }
        (!paths.is_empty()).then_some(Written { call, paths })
    }
}
