//! The box as a process: its status, its HTTPS port as a TLS client sees it, its files.

use super::*;

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
        Self::run_until_exit(data_dir, cert_server, ca_file, ("IOTBOX_CRASH_AT", point))
    }

    /// Runs a box on `data_dir` with the variable `name=point` until it ends, and gives how.
    pub fn run_until_exit(
        data_dir: &Path,
        cert_server: &str,
        ca_file: &Path,
        (name, point): (&str, &str),
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
            .env(name, point);
        let mut process = Process(command.spawn().unwrap());
        let status = wait_for(
            &format!("the box to reach \"{point}\""),
            Duration::from_secs(30),
            || process.0.try_wait().unwrap(),
        );
        drop(process);
        status
    }

    /// Waits until the certificate worker has decided what to do at least once since it
    /// started (`iotbox_certificate_checks_total`), so that "nothing was asked" is said after
    /// the worker could have asked. Needs `/metrics` open: a box without a password.
    pub fn wait_worker_looked(&self) {
        wait_for("the worker's first look", Duration::from_secs(10), || {
            let checks: u64 = self
                .metrics()?
                .lines()
                .find_map(|line| line.strip_prefix("iotbox_certificate_checks_total "))?
                .trim()
                .parse()
                .ok()?;
            (checks >= 1).then_some(())
        });
    }

    /// `GET /metrics` as text (a box without a password).
    pub fn metrics(&self) -> Option<String> {
        self.try_text("/metrics")
    }

    /// `GET <path>` over plain HTTP, as text.
    pub fn get_text(&self, path: &str) -> String {
        self.try_text(path).expect("the box answers")
    }

    fn try_text(&self, path: &str) -> Option<String> {
        self.client
            .get(format!("http://127.0.0.1:{}{path}", self.http_port))
            .send()
            .ok()?
            .text()
            .ok()
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

    /// Posts a form as the page does without JavaScript; it must be taken.
    pub fn post_form(&self, path: &str, form: &[(&str, &str)]) {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let response = self
            .client
            .post(format!("http://127.0.0.1:{}{path}", self.http_port))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .unwrap();
        assert!(response.status().is_success(), "{path}: {response:?}");
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

    /// Presses "Run diagnostics", as a person would, and gives every check's result.
    pub fn run_diagnostics(&self) -> Value {
        let response = self
            .client
            .post(format!(
                "http://127.0.0.1:{}/api/diagnostics/run",
                self.http_port
            ))
            .timeout(Duration::from_secs(30))
            .send()
            .unwrap();
        assert!(response.status().is_success(), "{response:?}");
        response.json().unwrap()
    }

    /// Waits for the diagnosis of the route the box runs by itself after a failure.
    pub fn wait_route_diagnosis(&self) -> Value {
        wait_for("the diagnostics", Duration::from_secs(30), || {
            let route = self.status()["diagnostics"]["route"].clone();
            (!route.is_null()).then_some(route)
        })
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
