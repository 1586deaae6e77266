//! The running box as the server functions see it: its configuration and the state they read.

use crate::network_identity::NetworkIdentityCache;
use crate::settings::{SettingsError, SettingsFile};
use crate::status::BoxStatus;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What the binary's command line decides for the box.
#[derive(Clone, Debug)]
pub struct BoxConfig {
    /// Holds every file the box writes.
    pub data_dir: PathBuf,
    /// How often the homepage polls the status.
    pub poll_interval: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot use the data directory {path}: {source}")]
    DataDir { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Settings(#[from] SettingsError),
}

pub struct IotBox {
    name: String,
    poll_interval_ms: u32,
    settings: SettingsFile,
    network: NetworkIdentityCache,
}

impl IotBox {
    pub fn open(config: &BoxConfig) -> Result<Self, OpenError> {
        prepare_data_dir(&config.data_dir).map_err(|source| OpenError::DataDir {
            path: config.data_dir.clone(),
            source,
        })?;
        Ok(Self {
            name: gethostname::gethostname().to_string_lossy().into_owned(),
            poll_interval_ms: u32::try_from(config.poll_interval.as_millis()).unwrap_or(u32::MAX),
            settings: SettingsFile::open(&config.data_dir)?,
            network: NetworkIdentityCache::new(Duration::from_secs(5)),
        })
    }

    pub fn status(&self) -> BoxStatus {
        let (settings, settings_problem) = self.settings.current();
        let network = self.network.get();
        BoxStatus {
            name: self.name.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            ip_address: network.ip.map(|ip| ip.to_string()),
            mac_address: network.mac,
            odoo_server: settings.odoo.server_url.map(String::from),
            settings_problem,
            https_certificate: "Not checked yet".to_string(),
            poll_interval_ms: self.poll_interval_ms,
        }
    }
}

/// Creates the data directory private to the box (it will hold private keys), and proves it
/// writable now rather than at the first certificate.
fn prepare_data_dir(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(path)?;
    tempfile::tempfile_in(path).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_the_settings_file() {
        let dir = tempfile::tempdir().unwrap();
        let config = BoxConfig {
            data_dir: dir.path().to_owned(),
            poll_interval: Duration::from_secs(10),
        };
        let iot_box = IotBox::open(&config).unwrap();
        let status = iot_box.status();
        assert_eq!(status.odoo_server, None);
        assert_eq!(status.poll_interval_ms, 10_000);
        assert_eq!(status.version, env!("CARGO_PKG_VERSION"));

        std::fs::write(
            dir.path().join(crate::settings::SETTINGS_FILE_NAME),
            "[odoo]\nserver_url = \"https://erp.example.com\"\n",
        )
        .unwrap();
        assert_eq!(
            iot_box.status().odoo_server.as_deref(),
            Some("https://erp.example.com/")
        );
    }

    #[test]
    fn creates_a_private_data_dir_and_refuses_an_unusable_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("new").join("data");
        let config = |data_dir: PathBuf| BoxConfig {
            data_dir,
            poll_interval: Duration::from_secs(10),
        };
        IotBox::open(&config(data_dir.clone())).unwrap();
        let mode = std::fs::metadata(&data_dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);

        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let error = IotBox::open(&config(file)).err().unwrap();
        assert!(matches!(error, OpenError::DataDir { .. }), "{error}");
    }
}
