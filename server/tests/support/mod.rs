//! Real processes on loopback for the integration tests: the `iotbox` binary as a box, and as
//! the local certificate authority, each on ports of its own, stopped when dropped.
#![allow(dead_code)] // each test file uses its own part of this

mod tls;

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

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `command` and waits until it prints the line that holds `ready`, the line it
/// prints once it listens; gives that line, from which the caller reads its ports.
fn spawn_listening(mut command: Command, ready: &'static str) -> (Process, String) {
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
fn address_after(line: &str, scheme: &str) -> SocketAddr {
    let start = line.find(&format!("{scheme}://")).expect(scheme) + scheme.len() + 3;
    let address: String = line[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '/')
        .collect();
    address
        .parse()
        .unwrap_or_else(|_| panic!("an address in {line}"))
}

fn iotbox() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_iotbox"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

pub struct LocalCa {
    _process: Process,
    _dir: tempfile::TempDir,
    pub port: u16,
    pub ca_file: PathBuf,
    client: reqwest::blocking::Client,
}

impl LocalCa {
    pub fn start(args: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut command = iotbox();
        command
            .arg("local-ca")
            .arg("--addr")
            .arg("127.0.0.1:0")
            .arg("--dir")
            .arg(dir.path())
            .args(args);
        let (process, line) = spawn_listening(command, "local certificate authority:");
        let port = address_after(&line, "https").port();
        let ca_file = dir.path().join("ca.pem");
        let client = reqwest::blocking::Client::builder()
            .tls_backend_preconfigured(trusting(&ca_file))
            .build()
            .unwrap();
        Self {
            _process: process,
            _dir: dir,
            port,
            ca_file,
            client,
        }
    }

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}/odoo-enterprise/iot/x509", self.port)
    }

    pub fn set_fault(&self, phrase: &str) {
        let response = self
            .client
            .put(format!("https://127.0.0.1:{}/control/fault", self.port))
            .body(phrase.to_string())
            .send()
            .unwrap();
        assert!(
            response.status().is_success(),
            "fault {phrase}: {response:?}"
        );
    }

    pub fn requests(&self) -> u64 {
        let counts: Value = self
            .client
            .get(format!("https://127.0.0.1:{}/control/requests", self.port))
            .send()
            .unwrap()
            .json()
            .unwrap();
        counts["x509_requests"].as_u64().unwrap()
    }
}

pub struct IotBox {
    process: Process,
    pub data_dir: tempfile::TempDir,
    pub http_port: u16,
    pub https_port: u16,
    client: reqwest::blocking::Client,
}

impl IotBox {
    /// Starts a box with `settings` pre-seeded, asking `cert_server`, trusting `ca_file`.
    pub fn start(settings: &str, cert_server: &str, ca_file: Option<&Path>, args: &[&str]) -> Self {
        let data_dir = tempfile::tempdir().unwrap();
        std::fs::write(data_dir.path().join("settings.toml"), settings).unwrap();
        Self::start_in(data_dir, cert_server, ca_file, args)
    }

    pub fn start_in(
        data_dir: tempfile::TempDir,
        cert_server: &str,
        ca_file: Option<&Path>,
        args: &[&str],
    ) -> Self {
        Self::start_configured(data_dir, cert_server, ca_file, args, |_| {})
    }

    /// As [`IotBox::start_in`], with the command changed by `configure` before it starts.
    pub fn start_configured(
        data_dir: tempfile::TempDir,
        cert_server: &str,
        ca_file: Option<&Path>,
        args: &[&str],
        configure: impl FnOnce(&mut Command),
    ) -> Self {
        let mut command = iotbox();
        command
            .arg("--data-dir")
            .arg(data_dir.path())
            .arg("--http-addr")
            .arg("127.0.0.1:0")
            .arg("--https-addr")
            .arg("127.0.0.1:0")
            .arg("--cert-server")
            .arg(cert_server)
            .args(args);
        if let Some(ca_file) = ca_file {
            command.arg("--cert-server-ca").arg(ca_file);
        }
        configure(&mut command);
        let (process, line) = spawn_listening(command, "homepage on");
        let http_port = address_after(&line, "http").port();
        let https_port = address_after(&line, "https").port();
        Self {
            process,
            data_dir,
            http_port,
            https_port,
            client: http_client(),
        }
    }

    /// Stops the box (killed, as a power cut would) and gives back its files.
    pub fn stop(self) -> tempfile::TempDir {
        let Self {
            process, data_dir, ..
        } = self;
        drop(process);
        data_dir
    }

    /// Runs a box on `data_dir` with `IOTBOX_CRASH_AT=point` until it dies, and gives how.
    pub fn run_until_crash(
        data_dir: &Path,
        cert_server: &str,
        ca_file: &Path,
        point: &str,
    ) -> std::process::ExitStatus {
        let mut command = iotbox();
        command
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--http-addr")
            .arg("127.0.0.1:0")
            .arg("--https-addr")
            .arg("127.0.0.1:0")
            .arg("--cert-server")
            .arg(cert_server)
            .arg("--cert-server-ca")
            .arg(ca_file)
            .env("IOTBOX_CRASH_AT", point);
        let mut process = Process(command.spawn().unwrap());
        let status = wait_for(
            &format!("the box to reach \"{point}\""),
            Duration::from_secs(30),
            || process.0.try_wait().unwrap(),
        );
        drop(process);
        status
    }

    pub fn pid(&self) -> u32 {
        self.process.0.id()
    }

    pub fn status_url(&self) -> String {
        format!("http://127.0.0.1:{}/api/status", self.http_port)
    }

    /// The whole of `GET /api/status`.
    pub fn status(&self) -> Value {
        self.try_status().expect("the box answers")
    }

    fn try_status(&self) -> Option<Value> {
        self.client.get(self.status_url()).send().ok()?.json().ok()
    }

    /// The certificate part of `GET /api/status`.
    pub fn certificate(&self) -> Value {
        self.try_status().expect("the box answers")["certificate"].clone()
    }

    /// Waits until the certificate status satisfies `condition`, and returns it.
    pub fn wait_certificate(&self, what: &str, condition: impl Fn(&Value) -> bool) -> Value {
        let mut last = Value::Null;
        let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            wait_for(what, Duration::from_secs(20), || {
                last = self.certificate();
                condition(&last).then(|| last.clone())
            })
        }));
        found.unwrap_or_else(|_| panic!("timed out waiting for {what}; last status: {last}"))
    }

    /// Presses "Try again", as a person would.
    pub fn try_again(&self) {
        let response = self
            .client
            .post(format!(
                "http://127.0.0.1:{}/api/certificate/try-again",
                self.http_port
            ))
            .send()
            .unwrap();
        assert!(response.status().is_success(), "{response:?}");
    }

    /// Opens the homepage as a person would: that retries a failed request at once.
    pub fn visit_homepage(&self) {
        let response = self
            .client
            .get(format!("http://127.0.0.1:{}/", self.http_port))
            .send()
            .unwrap();
        assert!(response.status().is_success());
    }

    /// The certificate the HTTPS port presents in a new handshake.
    pub fn served(&self) -> PresentedCertificate {
        PresentedCertificate::of(&self.tls_connect().conn)
    }

    /// A TLS connection to the HTTPS port that accepts any certificate.
    pub fn tls_connect(&self) -> TlsStream {
        let config = accepting_anything();
        let connection = rustls::ClientConnection::new(
            Arc::new(config),
            ServerName::try_from("localhost").unwrap(),
        )
        .unwrap();
        let socket = TcpStream::connect(("127.0.0.1", self.https_port)).unwrap();
        let mut stream = rustls::StreamOwned::new(connection, socket);
        while stream.conn.is_handshaking() {
            stream.conn.complete_io(&mut stream.sock).unwrap();
        }
        stream
    }

    /// Every file under the certificate folder with its content, to prove nothing changed.
    pub fn certificate_files(&self) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        collect(&self.data_dir.path().join("certificate"), "", &mut files);
        files.sort();
        files
    }
}

fn collect(dir: &Path, prefix: &str, files: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let entry = entry.unwrap();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            let target = std::fs::read_link(entry.path()).unwrap();
            files.push((name, target.to_string_lossy().as_bytes().to_vec()));
        } else if kind.is_dir() {
            files.push((format!("{name}/"), Vec::new()));
            collect(&entry.path(), &format!("{name}/"), files);
        } else {
            files.push((name, std::fs::read(entry.path()).unwrap()));
        }
    }
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
