//! The local certificate authority as a process, with its fault switch and request counter.

use super::*;

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
        let mut command = iotbox_local("ca");
        command
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
