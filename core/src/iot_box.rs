//! The running box: its settings, its certificate engine, its logs and its network identity,
//! wired together here; what a person can ask of it, by job: changes (`changes.rs`), the
//! status (`status.rs`), the logs and the support report (`reading.rs`). Every method that
//! touches files blocks; the web layer calls them off the async runtime.

use crate::access::Access;
use crate::box_identifier;
use crate::certificate::engine::{CertificateEngine, EngineConfig, EngineError, StoredHook};
use crate::certificate::erp_update::ErpUpdater;
use crate::diagnostics::address::{AddressTarget, Resolvers};
use crate::diagnostics::Diagnostics;
use crate::logs::log_file::LogFile;
use crate::logs::subscriber::LogReloader;
use crate::metrics::Metrics;
use crate::network_identity::{NetworkIdentity, NetworkIdentityCache};
use crate::settings::file::SettingsFile;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

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
                if model::diagnostics::explains(code) {
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

mod changes;
mod reading;
mod status;
#[cfg(test)]
mod tests;
