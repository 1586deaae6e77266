//! The running box: its settings, its certificate engine, its logs and its network identity,
//! and what a person can ask of it from the homepage. Every method that touches files
//! blocks; the web layer calls them off the async runtime.

use crate::access::Access;
use crate::box_identifier;
use crate::certificate::engine::{CertificateEngine, EngineConfig, EngineError, StoredHook};
use crate::certificate::erp_update::ErpUpdater;
use crate::diagnostics::address::{AddressTarget, Resolvers};
use crate::diagnostics::Diagnostics;
use crate::files::download_name::download_name;
use crate::logs::download::LogDownload;
use crate::logs::levels::{self, InForce};
use crate::logs::log_file::LogFile;
use crate::logs::redaction::Redactor;
use crate::logs::subscriber::LogReloader;
use crate::metrics::Metrics;
use crate::network_identity::{NetworkIdentity, NetworkIdentityCache};
use crate::settings::backup::{self, BackupProblem, Seed};
use crate::settings::credential::Credential;
use crate::settings::file::SettingsFile;
use crate::settings::odoo_server::{self, Pasted};
use crate::settings::{self, LogSettings};
use crate::support_report::{self, ReportInput, LOG_LINES};
use crate::timestamp::{rfc3339, to_the_second};
use app::model::access::AccessStatus;
use app::model::box_status::BoxStatus;
use app::model::credential::CredentialStatus;
use app::model::form_error::ChangeError;
use app::model::log_level::{Level, LogLevelStatus, LogLevels, LEVEL_LIFETIME_DAYS};
use app::model::log_view::LogTail;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// What the binary's command line decides for the box.
#[derive(Clone, Debug)]
pub struct BoxConfig {
    /// Holds every file the box writes; prepared before the box opens (`files::data_dir`).
    pub data_dir: PathBuf,
    /// How often the homepage polls the status.
    pub poll_interval: Duration,
    pub certificate: EngineConfig,
    /// The resolvers the address check asks.
    pub resolvers: Resolvers,
    /// What a Prometheus scrapes `/metrics` with while an admin password is set.
    pub metrics_token: Option<String>,
    /// Where the box's serial number is read (the Pi's device tree).
    pub serial_number_file: PathBuf,
    /// Where the homepage listens over plain HTTP, as bound.
    pub http_addr: std::net::SocketAddr,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Certificate(#[from] EngineError),
    #[error("cannot set up requests to the Odoo server: {0}")]
    Erp(String),
}

pub struct IotBox {
    name: String,
    /// The hardware's serial number, read once: it never changes.
    serial_number: Option<String>,
    http_addr: std::net::SocketAddr,
    /// The names a `Host` may give besides IP addresses and `localhost`, lowercase.
    own_names: [String; 2],
    poll_interval_ms: u32,
    settings: Arc<SettingsFile>,
    network: NetworkIdentityCache,
    certificate: Arc<CertificateEngine>,
    diagnostics: Arc<Diagnostics>,
    /// What the connected Odoo server was last told of the certificate.
    erp: Arc<ErpUpdater>,
    metrics: Arc<Metrics>,
    metrics_token: Option<String>,
    access: Access,
    log_file: LogFile,
    log_filter: LogReloader,
}

impl IotBox {
    /// `settings` are read already, so that a malformed file stops the box before it does
    /// anything; `log_filter` applies a tracing filter to the running logger.
    pub fn open(
        config: &BoxConfig,
        settings: SettingsFile,
        log_file: LogFile,
        log_filter: LogReloader,
    ) -> Result<Self, OpenError> {
        let settings = Arc::new(settings);
        let certificate =
            CertificateEngine::open(settings.clone(), &config.data_dir, &config.certificate)?;
        let diagnostics = Arc::new(Diagnostics::new(
            certificate.server().url().clone(),
            certificate.server().roots().clone(),
            config.resolvers,
        ));
        let metrics = Arc::new(Metrics::default());
        certificate.on_failure({
            let (diagnostics, metrics) = (diagnostics.clone(), metrics.clone());
            Box::new(move |code| {
                metrics.certificate_request(&code.to_string());
                if app::model::diagnostics::explains(code) {
                    let diagnostics = diagnostics.clone();
                    tokio::spawn(async move { diagnostics.run_after_failure(code).await });
                }
            })
        });
        let name = gethostname::gethostname().to_string_lossy().into_owned();
        let serial_number = box_identifier::read_serial_number(&config.serial_number_file);
        let lowercase = name.to_ascii_lowercase();
        let erp = Arc::new(
            ErpUpdater::new(certificate.server().roots().clone()).map_err(OpenError::Erp)?,
        );
        certificate.on_stored({
            let (metrics, tell_erp) = (
                metrics.clone(),
                tell_erp(
                    erp.clone(),
                    settings.clone(),
                    serial_number.clone(),
                    name.clone(),
                ),
            );
            Box::new(move |not_after| {
                metrics.certificate_request("ok");
                tell_erp(not_after);
            })
        });
        Ok(Self {
            own_names: [format!("{lowercase}.local"), lowercase],
            name,
            serial_number,
            http_addr: config.http_addr,
            poll_interval_ms: u32::try_from(config.poll_interval.as_millis()).unwrap_or(u32::MAX),
            access: Access::new(settings.clone()),
            settings,
            network: NetworkIdentityCache::new(Duration::from_secs(5)),
            certificate: Arc::new(certificate),
            diagnostics,
            erp,
            metrics,
            metrics_token: config.metrics_token.clone(),
            log_file,
            log_filter,
        })
    }

    pub fn certificate(&self) -> &Arc<CertificateEngine> {
        &self.certificate
    }

    pub fn diagnostics(&self) -> &Arc<Diagnostics> {
        &self.diagnostics
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Whether a scrape of `/metrics` may see the figures: always while no admin password
    /// is set; with one, given the metrics token or a logged-in session. Blocking: reads
    /// the settings.
    pub fn may_scrape(&self, token: Option<&str>, session: Option<&str>) -> bool {
        let by_token = match (&self.metrics_token, token) {
            (Some(ours), Some(given)) => same_secret(ours, given),
            _ => false,
        };
        by_token || self.access.allows_changes(session)
    }

    /// What the address check looks up: the host of the HTTPS address, which should resolve
    /// to the box's IPv4 address. `None` before the box has a real certificate. Blocking.
    pub fn address_target(&self) -> Option<AddressTarget> {
        let (settings, _) = self.settings.current();
        let std::net::IpAddr::V4(ip) = self.network.get().ip? else {
            return None;
        };
        let address = self
            .certificate
            .status(&settings, Some(ip.into()))
            .https_address?;
        let name = url::Url::parse(&address).ok()?.host_str()?.to_string();
        Some(AddressTarget { name, ip })
    }

    /// The admin password and who is logged in.
    pub fn access(&self) -> &Access {
        &self.access
    }

    /// The box's name (its host name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The box's address on its network.
    pub fn own_ip(&self) -> Option<std::net::IpAddr> {
        self.network.get().ip
    }

    /// The box's own names (`<name>` and `<name>.local`, lowercase).
    pub fn own_names(&self) -> &[String] {
        &self.own_names
    }

    /// How often an open homepage's status is looked at again.
    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(u64::from(self.poll_interval_ms))
    }

    pub fn page_visited(&self) {
        self.certificate.page_visited();
    }

    pub fn try_again(&self) {
        self.certificate.try_again();
    }

    /// Saves the credential, and asks for a certificate with it at once.
    pub fn save_credential(&self, db_uuid: &str, contract_number: &str) -> Result<(), ChangeError> {
        let credential =
            Credential::parse(db_uuid, contract_number).map_err(ChangeError::Credential)?;
        let (before, after) = self.update_settings(|settings| {
            settings.credential.db_uuid = Some(credential.db_uuid);
            settings.credential.contract_number = Some(credential.contract_number);
        })?;
        tracing::info!("credential saved");
        self.react_to_change(before.credential != after.credential);
        Ok(())
    }

    pub fn clear_credential(&self) -> Result<(), ChangeError> {
        self.update_settings(|settings| settings.credential = Default::default())?;
        tracing::info!("credential cleared");
        self.certificate.credential_changed();
        Ok(())
    }

    /// `pasted` is an address, or the ERP's pairing token, which sets the credential too.
    pub fn connect_odoo_server(&self, pasted: &str) -> Result<(), ChangeError> {
        let (url, credential) = match odoo_server::parse_pasted(pasted) {
            Ok(Pasted::Address(url)) => (url, None),
            Ok(Pasted::PairingToken { url, credential }) => (url, Some(credential)),
            Err(problem) => return Err(ChangeError::ServerUrl(problem)),
        };
        tracing::info!(server = %url, token = credential.is_some(), "connecting to an Odoo server");
        let (before, after) = self.update_settings(|settings| {
            settings.odoo.server_url = Some(url);
            if let Some(credential) = credential {
                settings.credential.db_uuid = Some(credential.db_uuid);
                settings.credential.contract_number = Some(credential.contract_number);
            }
        })?;
        self.react_to_change(before.odoo != after.odoo || before.credential != after.credential);
        Ok(())
    }

    /// As on the reference box, the credential goes with the server it was for.
    pub fn disconnect_odoo_server(&self) -> Result<(), ChangeError> {
        self.update_settings(|settings| {
            settings.odoo.server_url = None;
            settings.credential = Default::default();
        })?;
        tracing::info!("disconnected from the Odoo server; credential cleared");
        self.certificate.credential_changed();
        Ok(())
    }

    /// Saves and applies the log levels; they last [`LEVEL_LIFETIME_DAYS`] days.
    pub fn set_log_levels(&self, levels: LogLevels) -> Result<(), ChangeError> {
        let changed_at =
            (levels != LogLevels::default()).then(|| to_the_second(OffsetDateTime::now_utc()));
        self.update_settings(|settings| settings.log = LogSettings::new(levels, changed_at))?;
        self.apply_log_levels();
        tracing::info!(filter = %levels::filter(&levels), "log levels changed");
        Ok(())
    }

    /// Applies the saved log levels, after putting them back to the default if they are older
    /// than [`LEVEL_LIFETIME_DAYS`] days. Run at start-up and hourly.
    pub fn apply_log_levels(&self) {
        let in_force = self.log_levels_in_force(OffsetDateTime::now_utc());
        if in_force.expired {
            tracing::info!("log levels back to the default after {LEVEL_LIFETIME_DAYS} days");
            if let Err(error) = self
                .settings
                .update(|settings| settings.log = LogSettings::default())
            {
                tracing::warn!(%error, "the default log levels could not be saved");
            }
        }
        if let Err(error) = (self.log_filter)(&levels::filter(&in_force.levels)) {
            tracing::warn!(%error, "the log levels could not be applied");
        }
    }

    fn log_levels_in_force(&self, now: OffsetDateTime) -> InForce {
        levels::in_force(&self.settings.current().0.log, now)
    }

    /// The log file as a download: its name, and every kept line, to be read as it goes
    /// out with secrets taken out. Blocking: opens the files.
    pub fn log_download(&self) -> io::Result<(String, LogDownload)> {
        Ok((
            download_name(&self.name, OffsetDateTime::now_utc(), ".log"),
            LogDownload::new(self.log_file.open_all()?, self.redactor()),
        ))
    }

    /// Moves whenever the log does. Blocking: reads the file's metadata.
    pub fn log_version(&self) -> Option<crate::logs::log_file::LogVersion> {
        self.log_file.version()
    }

    /// The last `limit` log lines at `level` or more severe, secrets taken out.
    pub fn log_tail(&self, level: Level, limit: usize) -> io::Result<LogTail> {
        let mut lines = crate::logs::tail::tail(&self.log_file, level, limit)?;
        for line in &mut lines {
            line.message = self.redact(&line.message);
        }
        Ok(LogTail { level, lines })
    }

    /// The settings as a backup file sealed with `passphrase`: its download name and text.
    /// The settings in force, even while the file on disk is malformed. Blocking: Argon2.
    pub fn settings_backup(&self, passphrase: &str) -> Result<(String, String), BackupProblem> {
        backup::check_passphrase(passphrase)?;
        let mut seed = Seed {
            salt: [0; backup::SALT_BYTES],
            nonce: [0; backup::NONCE_BYTES],
        };
        OsRng.fill_bytes(&mut seed.salt);
        OsRng.fill_bytes(&mut seed.nonce);
        let now = OffsetDateTime::now_utc();
        let about = format!(
            "IoT box settings of \"{}\", saved {}.",
            self.name,
            rfc3339(to_the_second(now))
        );
        let (settings, _) = self.settings.current();
        let file = backup::seal(&settings::to_text(&settings), passphrase, &seed, &about)?;
        tracing::info!("settings backup downloaded");
        Ok((download_name(&self.name, now, "-settings.txt"), file))
    }

    /// Puts the settings of a backup file in place, whole, and acts on them at once (a
    /// certificate is asked for with the restored credential); a refused file changes
    /// nothing. Blocking: Argon2, and writes the settings file.
    pub fn restore_settings(&self, file: &[u8], passphrase: &str) -> Result<(), BackupProblem> {
        let text = backup::open(file, passphrase)?;
        let restored = settings::parse(&text).map_err(BackupProblem::Settings)?;
        self.settings
            .replace(restored)
            .map_err(|error| BackupProblem::NotSaved(error.to_string()))?;
        tracing::info!("settings restored from a backup");
        self.apply_log_levels();
        self.react_to_change(true);
        Ok(())
    }

    /// The support report: its download name and text. Blocking: reads the log.
    pub fn support_report(&self) -> io::Result<(String, String)> {
        let now = OffsetDateTime::now_utc();
        let input = ReportInput {
            generated_at: rfc3339(now),
            status: self.status(None),
            settings: self.settings.current().0,
            log: crate::logs::tail::tail(&self.log_file, Level::Debug, LOG_LINES)?,
        };
        Ok((
            download_name(&self.name, now, "-support.txt"),
            self.redact(&support_report::render(&input)),
        ))
    }

    /// `text` without the credential in force or a private key.
    fn redact(&self, text: &str) -> String {
        self.redactor().redact(text)
    }

    /// What takes the credential in force and private keys out of text, a line at a time.
    fn redactor(&self) -> Redactor {
        let (settings, _) = self.settings.current();
        let credential = &settings.credential;
        let secrets = [
            credential.db_uuid.as_ref().map(|uuid| uuid.as_str()),
            credential
                .contract_number
                .as_ref()
                .map(|number| number.expose()),
        ];
        Redactor::new(&secrets.into_iter().flatten().collect::<Vec<_>>())
    }

    fn update_settings(
        &self,
        change: impl FnOnce(&mut crate::settings::Settings),
    ) -> Result<(crate::settings::Settings, crate::settings::Settings), ChangeError> {
        self.settings
            .update(change)
            .map_err(|error| ChangeError::Settings(error.to_string()))
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

    /// The status, for a request whose session cookie holds `session`.
    pub fn status(&self, session: Option<&str>) -> BoxStatus {
        let (settings, settings_problem) = self.settings.current();
        let network = self.network.get();
        let in_force = levels::in_force(&settings.log, OffsetDateTime::now_utc());
        let certificate = self.certificate.status(&settings, network.ip);
        let clock_problem = self.certificate.clock_problem(OffsetDateTime::now_utc());
        BoxStatus {
            name: self.name.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            ip_address: network.ip.map(|ip| ip.to_string()),
            homepage_by_ip: crate::network_identity::homepage_by_ip(self.http_addr, network.ip),
            identifier: box_identifier::choose(
                self.serial_number.as_deref(),
                network.mac.as_deref(),
                &self.name,
            ),
            mac_address: network.mac,
            odoo_server: settings.odoo.server_url.map(String::from),
            credential: CredentialStatus {
                db_uuid: settings.credential.db_uuid.map(String::from),
                contract_number_masked: settings
                    .credential
                    .contract_number
                    .map(|number| number.masked()),
            },
            settings_problem,
            certificate,
            clock_problem,
            clock_synchronised: crate::clock::system_synchronised(),
            diagnostics: self.diagnostics.report(),
            erp_update: self.erp.last(),
            access: AccessStatus {
                password_set: settings.admin.password_hash.is_some(),
                logged_in: self.access.logged_in(session),
            },
            log_level: LogLevelStatus {
                levels: in_force.levels,
                reset_on: in_force.reset_on.map(rfc3339),
            },
            poll_interval_ms: self.poll_interval_ms,
        }
    }
}

/// Compares digests, so that the time taken says nothing of how much of a guess was right.
fn same_secret(ours: &str, given: &str) -> bool {
    use sha2::{Digest, Sha256};
    let (ours, given) = (Sha256::digest(ours), Sha256::digest(given));
    ours.iter()
        .zip(given.iter())
        .fold(0, |differ, (a, b)| differ | (a ^ b))
        == 0
}

/// After each stored certificate: tells the connected Odoo server its end date, beside the
/// renewal. The box names itself as the ERP knows it (`box_identifier`). Reading the settings
/// and the network blocks: off the runtime.
fn tell_erp(
    erp: Arc<ErpUpdater>,
    settings: Arc<SettingsFile>,
    serial_number: Option<String>,
    name: String,
) -> StoredHook {
    Box::new(move |not_after| {
        let (erp, settings) = (erp.clone(), settings.clone());
        let (serial_number, name) = (serial_number.clone(), name.clone());
        tokio::spawn(async move {
            let looked = crate::blocking::off_the_runtime(move || {
                let server = settings.current().0.odoo.server_url?;
                let mac = NetworkIdentity::read().mac;
                let identifier =
                    box_identifier::choose(serial_number.as_deref(), mac.as_deref(), &name);
                Some((server, identifier))
            })
            .await;
            if let Ok(Some((server, identifier))) = looked {
                erp.tell(&server, identifier, not_after).await;
            }
        });
    })
}

#[cfg(test)]
mod tests;
