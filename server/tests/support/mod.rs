//! Real processes on loopback for the integration tests: the `iotbox` binary as a box, and as
//! the local certificate authority, each on ports of its own, stopped when dropped.
#![allow(dead_code)] // each test file uses its own part of this

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub type TlsStream = rustls::StreamOwned<rustls::ClientConnection, TcpStream>;

pub const DEMO_DB_UUID: &str = "0f0e1d2c-3b4a-4596-a7b8-c9d0e1f2a3b4";
pub const DEMO_CONTRACT_NUMBER: &str = "DEMO-2026-0001";

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
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

/// Starts `command` and waits until it prints `ready`, the line it prints once it listens.
/// `None` when it stopped first: another process took one of its ports between
/// [`free_port`] and its bind, and the caller tries again with other ports.
fn spawn_listening(mut command: Command, ready: &'static str) -> Option<Process> {
    let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let process = Process(child);
    let (listening, told) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let ready = lines
            .by_ref()
            .any(|line| line.is_ok_and(|l| l.contains(ready)));
        let _ = listening.send(ready);
        // Reading on, so that the process never blocks on a full pipe.
        lines.for_each(drop);
    });
    let ready = told
        .recv_timeout(Duration::from_secs(20))
        .expect("the process neither listened nor stopped within 20 s");
    ready.then_some(process)
}

/// Tries `start` with fresh ports until it listens.
fn with_free_ports<T>(mut start: impl FnMut() -> Option<T>) -> T {
    (0..5)
        .find_map(|_| start())
        .expect("no free ports after 5 tries")
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
        let (process, port) = with_free_ports(|| {
            let port = free_port();
            let mut command = iotbox();
            command
                .arg("local-ca")
                .arg("--addr")
                .arg(format!("127.0.0.1:{port}"))
                .arg("--dir")
                .arg(dir.path())
                .args(args);
            spawn_listening(command, "local certificate authority:").map(|p| (p, port))
        });
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
        let (process, http_port, https_port) = with_free_ports(|| {
            let (http_port, https_port) = (free_port(), free_port());
            let mut command = iotbox();
            command
                .arg("--data-dir")
                .arg(data_dir.path())
                .arg("--http-addr")
                .arg(format!("127.0.0.1:{http_port}"))
                .arg("--https-addr")
                .arg(format!("127.0.0.1:{https_port}"))
                .arg("--cert-server")
                .arg(cert_server)
                .args(args);
            if let Some(ca_file) = ca_file {
                command.arg("--cert-server-ca").arg(ca_file);
            }
            spawn_listening(command, "homepage on").map(|p| (p, http_port, https_port))
        });
        Self {
            process,
            data_dir,
            http_port,
            https_port,
            client: http_client(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.process.0.id()
    }

    pub fn status_url(&self) -> String {
        format!("http://127.0.0.1:{}/api/status", self.http_port)
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

    /// Opens the homepage as a person would: that asks for a certificate at once.
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

    /// A TLS connection to the HTTPS port that accepts any certificate: the tests look at
    /// what is presented, whoever signed it.
    pub fn tls_connect(&self) -> TlsStream {
        let config =
            ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .unwrap()
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnything))
                .with_no_client_auth();
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

/// Makes one HTTP/1.1 request on an open TLS stream, reads the whole answer, and returns
/// its status line; the connection stays open for the next request.
pub fn get_over(stream: &mut TlsStream) -> String {
    stream
        .write_all(b"GET /api/status HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        let read = stream.read(&mut buffer).unwrap();
        assert!(read > 0, "the connection closed");
        received.extend_from_slice(&buffer[..read]);
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&received[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .expect("a content length");
    while received.len() < head_end + length {
        let read = stream.read(&mut buffer).unwrap();
        assert!(read > 0, "the connection closed");
        received.extend_from_slice(&buffer[..read]);
    }
    head.lines().next().unwrap_or_default().to_string()
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresentedCertificate {
    pub fingerprint: String,
    pub common_name: String,
    pub serial: String,
}

impl PresentedCertificate {
    pub fn of(connection: &rustls::ClientConnection) -> Self {
        let leaf = &connection.peer_certificates().unwrap()[0];
        let (_, parsed) = x509_parser::parse_x509_certificate(leaf.as_ref()).unwrap();
        let common_name = parsed
            .subject()
            .iter_common_name()
            .next()
            .and_then(|cn| cn.as_str().ok())
            .unwrap_or_default()
            .to_string();
        Self {
            fingerprint: app::certificate::pair::hex(&Sha256::digest(leaf.as_ref())),
            common_name,
            serial: parsed.raw_serial_as_string(),
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

pub fn demo_settings() -> String {
    settings(true, Some((DEMO_DB_UUID, DEMO_CONTRACT_NUMBER)))
}

/// A plain-HTTP client (reqwest wants a TLS set-up even for that).
pub fn http_client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .tls_backend_preconfigured(trusting_roots(RootCertStore::empty()))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn trusting(ca_file: &Path) -> ClientConfig {
    let mut roots = RootCertStore::empty();
    for certificate in CertificateDer::pem_file_iter(ca_file).unwrap() {
        roots.add(certificate.unwrap()).unwrap();
    }
    trusting_roots(roots)
}

fn trusting_roots(roots: RootCertStore) -> ClientConfig {
    ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth()
}

#[derive(Debug)]
struct AcceptAnything;

impl ServerCertVerifier for AcceptAnything {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        rustls::crypto::ring::default_provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}
