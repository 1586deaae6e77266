//! Real processes on loopback for the integration tests: the `iotbox` binary as a box, as
//! the local certificate authority and as the local DNS server, each on ports of its own,
//! stopped when dropped.
#![allow(dead_code)] // each test file uses its own part of this

mod iot_box;
mod local_ca;
mod local_dns;
mod strace;
mod tls;

pub use iot_box::*;
pub use local_ca::*;
#[allow(unused_imports)] // only the address tests start one
pub use local_dns::*;
#[allow(unused_imports)] // only the tests that read system calls use it
pub use strace::*;
pub use tls::*;

use rustls::pki_types::ServerName;
use rustls::RootCertStore;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A port on which nothing listens, for as long as the value lives: bound, never listening,
/// so a connection to it is refused and no other process can take it meanwhile.
pub struct ClosedPort {
    _socket: socket2::Socket,
    pub port: u16,
}

impl ClosedPort {
    pub fn new() -> Self {
        let socket =
            socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        socket
            .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
            .unwrap();
        let port = socket.local_addr().unwrap().as_socket().unwrap().port();
        Self {
            _socket: socket,
            port,
        }
    }
}

/// Polls `probe` until it gives a value, for at most `limit`.
pub fn wait_for<T>(what: &str, limit: Duration, mut probe: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub(crate) struct Process(pub(crate) Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `command` and waits until it prints the line that holds `ready`, the line it
/// prints once it listens; gives that line, from which the caller reads its ports.
pub(crate) fn spawn_listening(mut command: Command, ready: &'static str) -> (Process, String) {
    let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let process = Process(child);
    let (listening, told) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let ready = lines
            .by_ref()
            .map_while(Result::ok)
            .find(|line| line.contains(ready));
        let _ = listening.send(ready);
        // Reading on, so that the process never blocks on a full pipe.
        lines.for_each(drop);
    });
    let line = told
        .recv_timeout(Duration::from_secs(20))
        .expect("the process neither listened nor stopped within 20 s")
        .expect("the process stopped before it listened");
    (process, line)
}

/// The address after `scheme://` in `line`, e.g. `127.0.0.1:41234`.
pub(crate) fn address_after(line: &str, scheme: &str) -> SocketAddr {
    let start = line.find(&format!("{scheme}://")).expect(scheme) + scheme.len() + 3;
    let address: String = line[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '/')
        .collect();
    address
        .parse()
        .unwrap_or_else(|_| panic!("an address in {line}"))
}

pub(crate) fn iotbox() -> Command {
    quiet(Command::new(env!("CARGO_BIN_EXE_iotbox")))
}

/// The stand-ins for the vendor's services: `iotbox-local ca` and `iotbox-local dns`.
pub(crate) fn iotbox_local(service: &str) -> Command {
    let mut command = quiet(Command::new(env!("CARGO_BIN_EXE_iotbox-local")));
    command.arg(service);
    command
}

fn quiet(mut command: Command) -> Command {
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

pub fn settings(server: bool, credential: Option<(&str, &str)>) -> String {
    let mut text = String::new();
    if server {
        text.push_str("[odoo]\nserver_url = \"https://erp.example.com\"\n");
    }
    if let Some((uuid, contract)) = credential {
        text.push_str(&format!(
            "[credential]\ndb_uuid = \"{uuid}\"\ncontract_number = \"{contract}\"\n"
        ));
    }
    text
}

/// The settings the local authority gives a certificate for.
pub fn demo_settings() -> String {
    iotbox::local_ca::DEMO_SETTINGS.to_string()
}

/// A plain-HTTP client (reqwest wants a TLS set-up even for that).
pub fn http_client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .tls_backend_preconfigured(trusting_roots(RootCertStore::empty()))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// A box with a real certificate from a local CA that issues 5-day certificates: those are
/// always due for renewal, so "Try again" asks the CA again at once (a page visit waits an
/// hour).
pub fn box_with_a_real_certificate() -> (LocalCa, IotBox) {
    box_with_a_real_certificate_and(&[])
}

/// As [`box_with_a_real_certificate`], with more flags for the box.
pub fn box_with_a_real_certificate_and(args: &[&str]) -> (LocalCa, IotBox) {
    let ca = LocalCa::start(&["--validity", "5days"]);
    let mut all_args = vec!["--cert-server-timeout", "2s"];
    all_args.extend_from_slice(args);
    let iot_box = IotBox::start(&demo_settings(), &ca.url(), Some(&ca.ca_file), &all_args);
    // Served and recorded: until the worker records it, a poll still says "requesting".
    iot_box.wait_certificate("a real certificate", |c| {
        c["temporary"] == false && c["state"] == "ok"
    });
    (ca, iot_box)
}

/// Copies a folder with its symbolic links as links, as a box left it.
pub fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else if kind.is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
