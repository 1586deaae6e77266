//! The running box as the server functions see it: its configuration and the state they read.

use crate::certificate::engine::{CertificateEngine, EngineConfig, EngineError};
use crate::certificate::pair::rfc3339;
use crate::credential::CredentialStatus;
use crate::log_file::{download_name, LogFile};
use crate::log_level::{LogLevelStatus, LogLevels, LogReloader, LEVEL_LIFETIME_DAYS};
use crate::network_identity::NetworkIdentityCache;
use crate::settings::{ContractNumber, LogSettings, SettingsError, SettingsFile};
use crate::status::BoxStatus;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use url::Url;

/// What the binary's command line decides for the box.
#[derive(Clone, Debug)]
pub struct BoxConfig {
    /// Holds every file the box writes.
    pub data_dir: PathBuf,
    /// How often the homepage polls the status.
    pub poll_interval: Duration,
    pub certificate: EngineConfig,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot use the data directory {path}: {source}")]
    DataDir { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Certificate(#[from] EngineError),
    #[error("cannot use the log folder: {0}")]
    Logs(io::Error),
}

pub struct IotBox {
    name: String,
    /// The names a `Host` may give besides IP addresses and `localhost`, lowercase.
    own_names: [String; 2],
    poll_interval_ms: u32,
    settings: Arc<SettingsFile>,
    network: NetworkIdentityCache,
    certificate: Arc<CertificateEngine>,
    log_file: LogFile,
    reload_log_filter: LogReloader,
}

impl IotBox {
    /// `reload_log_filter` applies a tracing filter to the running logger.
    pub fn open(config: &BoxConfig, reload_log_filter: LogReloader) -> Result<Self, OpenError> {
        prepare_data_dir(&config.data_dir).map_err(|source| OpenError::DataDir {
            path: config.data_dir.clone(),
            source,
        })?;
        let settings = Arc::new(SettingsFile::open(&config.data_dir)?);
        let certificate =
            CertificateEngine::open(settings.clone(), &config.data_dir, &config.certificate)?;
        let name = gethostname::gethostname().to_string_lossy().into_owned();
        let lowercase = name.to_ascii_lowercase();
        Ok(Self {
            own_names: [format!("{lowercase}.local"), lowercase],
            name,
            poll_interval_ms: u32::try_from(config.poll_interval.as_millis()).unwrap_or(u32::MAX),
            settings,
            network: NetworkIdentityCache::new(Duration::from_secs(5)),
            certificate: Arc::new(certificate),
            log_file: LogFile::open(&config.data_dir).map_err(OpenError::Logs)?,
            reload_log_filter,
        })
    }

    pub fn certificate(&self) -> &Arc<CertificateEngine> {
        &self.certificate
    }

    /// A person opened (or refreshed) the homepage: as documented, that retries a failed
    /// certificate request, within the engine's bounds.
    pub fn page_visited(&self) {
        self.certificate.page_visited();
    }

    /// Saves the credential, and asks for a certificate with it at once.
    pub fn save_credential(
        &self,
        db_uuid: String,
        contract_number: String,
    ) -> Result<(), SettingsError> {
        let before = self.settings.current().0.credential;
        let after = self.settings.update(|settings| {
            settings.credential.db_uuid = Some(db_uuid);
            settings.credential.contract_number = Some(ContractNumber::new(contract_number));
        })?;
        tracing::info!("credential saved");
        self.react_to_change(before != after.credential);
        Ok(())
    }

    pub fn clear_credential(&self) -> Result<(), SettingsError> {
        self.settings
            .update(|settings| settings.credential = Default::default())?;
        tracing::info!("credential cleared");
        self.certificate.credential_changed();
        Ok(())
    }

    pub fn connect_odoo_server(&self, url: Url) -> Result<(), SettingsError> {
        tracing::info!(server = %url, "connecting to an Odoo server");
        let before = self.settings.current().0.odoo.server_url;
        let changed = before.as_ref() != Some(&url);
        self.settings
            .update(|settings| settings.odoo.server_url = Some(url))?;
        self.react_to_change(changed);
        Ok(())
    }

    /// As on the reference box, the credential goes with the server it was for.
    pub fn disconnect_odoo_server(&self) -> Result<(), SettingsError> {
        self.settings.update(|settings| {
            settings.odoo.server_url = None;
            settings.credential = Default::default();
        })?;
        tracing::info!("disconnected from the Odoo server; credential cleared");
        self.certificate.credential_changed();
        Ok(())
    }

    /// Saves and applies the log levels; they last [`LEVEL_LIFETIME_DAYS`] days.
    pub fn set_log_levels(&self, levels: LogLevels) -> Result<(), SettingsError> {
        let changed_at =
            (levels != LogLevels::default()).then(|| rfc3339(OffsetDateTime::now_utc()));
        self.settings.update(|settings| {
            settings.log = LogSettings {
                root: levels.root,
                certificate: levels.certificate,
                web: levels.web,
                changed_at,
            }
        })?;
        self.apply_log_levels();
        tracing::info!(filter = %levels.filter(), "log levels changed");
        Ok(())
    }

    /// Applies the saved log levels, after putting them back to the default if they are older
    /// than [`LEVEL_LIFETIME_DAYS`] days. Run at start-up and hourly.
    pub fn apply_log_levels(&self) {
        let (levels, expired) = self.log_levels(OffsetDateTime::now_utc());
        if expired {
            tracing::info!("log levels back to the default after {LEVEL_LIFETIME_DAYS} days");
            if let Err(error) = self
                .settings
                .update(|settings| settings.log = LogSettings::default())
            {
                tracing::warn!(%error, "the default log levels could not be saved");
            }
        }
        if let Err(error) = (self.reload_log_filter)(&levels.filter()) {
            tracing::warn!(%error, "the log levels could not be applied");
        }
    }

    /// The levels in force at `now`, and whether the saved ones have expired.
    fn log_levels(&self, now: OffsetDateTime) -> (LogLevels, bool) {
        let (levels, expired, _) = levels_in_force(&self.settings.current().0.log, now);
        (levels, expired)
    }

    /// The log file as a download: its name, and every kept line.
    pub fn log_download(&self) -> io::Result<(String, Vec<u8>)> {
        Ok((
            download_name(&self.name, OffsetDateTime::now_utc()),
            self.log_file.read_all()?,
        ))
    }

    /// Whether `host` (a `Host` header, port allowed) names this box: an IP address, the
    /// box's name (also as `<name>.local`), `localhost`, or a name under its certificate's
    /// domain. Any other name
    /// reaching the box is a DNS rebinding attempt from some web page.
    pub fn is_own_host(&self, host: &str) -> bool {
        let host = host
            .rsplit_once(':')
            .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
            .map_or(host, |(name, _)| name)
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        if host.parse::<std::net::IpAddr>().is_ok()
            || host == "localhost"
            || host.ends_with(".localhost")
            || self.own_names.contains(&host)
        {
            return true;
        }
        let served = self.certificate.served().current();
        served
            .summary
            .common_name
            .iter()
            .chain(&served.summary.dns_names)
            .any(|name| {
                let name = name.to_ascii_lowercase();
                match name.strip_prefix('*') {
                    Some(domain) => host.ends_with(domain),
                    None => host == name,
                }
            })
    }

    /// A real change is news to the certificate engine; the same values saved again only
    /// count as a person asking (bounded like "Try again").
    fn react_to_change(&self, changed: bool) {
        if changed {
            self.certificate.credential_changed();
        } else {
            self.certificate.page_visited();
        }
    }

    pub fn status(&self) -> BoxStatus {
        let (settings, settings_problem) = self.settings.current();
        let network = self.network.get();
        let (levels, _, reset_on) = levels_in_force(&settings.log, OffsetDateTime::now_utc());
        let certificate = self.certificate.status(&settings, network.ip);
        BoxStatus {
            name: self.name.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            ip_address: network.ip.map(|ip| ip.to_string()),
            mac_address: network.mac,
            odoo_server: settings.odoo.server_url.map(String::from),
            credential: CredentialStatus {
                db_uuid: settings.credential.db_uuid,
                contract_number_masked: settings
                    .credential
                    .contract_number
                    .map(|number| number.masked()),
            },
            settings_problem,
            certificate,
            log_level: LogLevelStatus {
                levels,
                reset_on: reset_on.map(rfc3339),
            },
            poll_interval_ms: self.poll_interval_ms,
        }
    }
}

/// The levels in force at `now`, whether the saved ones have expired, and when they reset.
fn levels_in_force(
    log: &LogSettings,
    now: OffsetDateTime,
) -> (LogLevels, bool, Option<OffsetDateTime>) {
    use time::format_description::well_known::Rfc3339;
    let reset_on = log
        .changed_at
        .as_deref()
        .and_then(|changed_at| OffsetDateTime::parse(changed_at, &Rfc3339).ok())
        .and_then(|changed_at| changed_at.checked_add(time::Duration::days(LEVEL_LIFETIME_DAYS)));
    match reset_on {
        Some(reset_on) if reset_on <= now => (LogLevels::default(), true, Some(reset_on)),
        _ => (log.levels(), false, reset_on),
    }
}

/// The box, as server functions find it.
pub fn from_context() -> Arc<IotBox> {
    leptos::prelude::expect_context::<Arc<IotBox>>()
}

/// Creates the data directory private to the box (it will hold private keys), and proves it
/// writable now rather than at the first certificate.
pub fn prepare_data_dir(path: &Path) -> io::Result<()> {
    crate::atomic_file::private_dir(path)?;
    crate::atomic_file::remove_half_written(path)?;
    tempfile::tempfile_in(path).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::load::Timeouts;

    fn test_config(data_dir: PathBuf) -> BoxConfig {
        BoxConfig {
            data_dir,
            poll_interval: Duration::from_secs(10),
            certificate: EngineConfig {
                // Nothing listens there; these tests never start the worker anyway.
                cert_server: "https://127.0.0.1:9/x509".parse().unwrap(),
                extra_roots: Vec::new(),
                timeouts: Timeouts {
                    connect: Duration::from_secs(1),
                    total: Duration::from_secs(1),
                },
                https_port: 443,
            },
        }
    }

    #[test]
    fn status_follows_the_settings_file() {
        let dir = tempfile::tempdir().unwrap();
        let config = test_config(dir.path().to_owned());
        let iot_box = IotBox::open(&config, Box::new(|_| Ok(()))).unwrap();
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
    fn knows_its_own_names_and_no_other() {
        let dir = tempfile::tempdir().unwrap();
        let iot_box =
            IotBox::open(&test_config(dir.path().to_owned()), Box::new(|_| Ok(()))).unwrap();
        for own in [
            "192.168.1.42",
            "192.168.1.42:80",
            "[::1]:3000",
            "localhost:3000",
            "192-0-2-2.abc.iotbox.localhost:3443",
        ] {
            assert!(iot_box.is_own_host(own), "{own}");
        }
        for other in [
            "evil.example",
            "evil.example:80",
            "192.168.1.42.evil.example",
        ] {
            assert!(!iot_box.is_own_host(other), "{other}");
        }
    }

    #[test]
    fn log_levels_go_back_to_the_default_after_seven_days() {
        use crate::log_level::Level;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(crate::settings::SETTINGS_FILE_NAME),
            "[log]\nweb = \"debug\"\nchanged_at = \"2026-11-01T12:00:00Z\"\n",
        )
        .unwrap();
        let iot_box =
            IotBox::open(&test_config(dir.path().to_owned()), Box::new(|_| Ok(()))).unwrap();
        let day = |d: u8| {
            time::Date::from_calendar_date(2026, time::Month::November, d)
                .unwrap()
                .with_hms(12, 0, 0)
                .unwrap()
                .assume_utc()
        };
        let (levels, expired) = iot_box.log_levels(day(7));
        assert_eq!((levels.web, expired), (Level::Debug, false));
        let (levels, expired) = iot_box.log_levels(day(8));
        assert_eq!((levels, expired), (LogLevels::default(), true));
    }

    #[test]
    fn creates_a_private_data_dir_and_refuses_an_unusable_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("new").join("data");
        IotBox::open(&test_config(data_dir.clone()), Box::new(|_| Ok(()))).unwrap();
        let mode = std::fs::metadata(&data_dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);

        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let error = IotBox::open(&test_config(file), Box::new(|_| Ok(())))
            .err()
            .unwrap();
        assert!(matches!(error, OpenError::DataDir { .. }), "{error}");
    }
}
