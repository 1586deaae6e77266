//! The engine: one worker task that checks the certificate, asks the certificate server when
//! a new one is needed, stores and serves what it gets, and waits as the schedule says.
//! Status readers never wait for it: they read its state, and wake it.
//!
//! Only the worker asks the certificate server, one request at a time, so at most one
//! request is ever in flight however many pages poll.

use super::check::{self, Need, Verdict};
use super::https_address::https_address;
use super::load::{CertificateServer, LoadFailure, Timeouts};
use super::pair::{self, rfc3339, CertificatePair};
use super::schedule::{self, MANUAL_RETRY_GAP, PERIODIC_CHECK};
use super::serve::ServedCertificate;
use super::store::{CertificateStore, DiskCertificate, FilesStamp};
use super::{temporary, CertificateError, CertificateState, CertificateStatus, ErrorCode};
use crate::settings::{Settings, SettingsFile};
use rustls_pki_types::CertificateDer;
use std::net::IpAddr;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::Notify;
use url::Url;

/// What the command line decides for the engine.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    pub cert_server: Url,
    /// Roots trusted for the certificate server on top of the system's.
    pub extra_roots: Vec<CertificateDer<'static>>,
    pub timeouts: Timeouts,
    /// The port of the HTTPS listener, for the HTTPS address.
    pub https_port: u16,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("cannot use the certificate folder: {0}")]
    Store(std::io::Error),
    #[error("cannot make the temporary certificate: {0}")]
    Temporary(String),
    #[error("cannot set up requests to the certificate server: {0}")]
    CertificateServer(String),
}

pub struct CertificateEngine {
    settings: Arc<SettingsFile>,
    store: CertificateStore,
    served: Arc<ServedCertificate>,
    server: CertificateServer,
    https_port: u16,
    state: Mutex<EngineState>,
    wake: Notify,
}

struct EngineState {
    disk_stamp: FilesStamp,
    on_disk: DiskCertificate,
    requesting: bool,
    /// Why the last request failed; cleared by a success or a new credential.
    failure: Option<CertificateError>,
    failures_in_a_row: u32,
    last_attempt: Option<OffsetDateTime>,
    /// No automatic request before this.
    not_before: Option<OffsetDateTime>,
    /// No request at all before this: the server's own `Retry-After`, which a person asking
    /// does not override either.
    server_asked_not_before: Option<OffsetDateTime>,
    /// A person asked for a request (a page visit, "Try again", a saved credential).
    manual_request: bool,
    /// "Try again" also replaces a certificate that cannot be read; a page visit does not.
    replace_unreadable: bool,
    last_manual_attempt: Option<OffsetDateTime>,
}

/// What the worker decided to do, taken under the lock and done outside it.
enum Step {
    Wait(Duration),
    Request {
        db_uuid: String,
        contract_number: String,
    },
}

impl CertificateEngine {
    pub fn open(
        settings: Arc<SettingsFile>,
        data_dir: &Path,
        config: &EngineConfig,
    ) -> Result<Self, EngineError> {
        let store = CertificateStore::open(data_dir).map_err(EngineError::Store)?;
        let on_disk = store.read();
        let now = OffsetDateTime::now_utc();
        let served = match &on_disk {
            DiskCertificate::Readable(pair) if pair.summary.not_after > now => pair.clone(),
            _ => Arc::new(temporary::generate().map_err(EngineError::Temporary)?),
        };
        let server = CertificateServer::new(
            config.cert_server.clone(),
            &config.extra_roots,
            config.timeouts,
        )
        .map_err(EngineError::CertificateServer)?;
        Ok(Self {
            settings,
            served: Arc::new(ServedCertificate::new(served)),
            server,
            https_port: config.https_port,
            state: Mutex::new(EngineState {
                disk_stamp: store.stamp(),
                on_disk,
                requesting: false,
                failure: None,
                failures_in_a_row: 0,
                last_attempt: None,
                not_before: None,
                server_asked_not_before: None,
                manual_request: false,
                replace_unreadable: false,
                last_manual_attempt: None,
            }),
            store,
            wake: Notify::new(),
        })
    }

    /// The certificate the HTTPS listener serves.
    pub fn served(&self) -> &Arc<ServedCertificate> {
        &self.served
    }

    /// The state for the page, under `settings` (the caller's reading of the file); wakes the
    /// worker when a certificate is wanted, never waits.
    pub fn status(&self, settings: &Settings, ip: Option<IpAddr>) -> CertificateStatus {
        let now = OffsetDateTime::now_utc();
        let mut state = self.lock_state();
        // While a request is under way the worker owns the files: it may have stored the new
        // pair and not yet served it, and records what it stored when it is done.
        if !state.requesting {
            self.refresh_disk(&mut state);
        }
        let verdict = check::check(settings.odoo.server_url.is_some(), &state.on_disk, now);
        let served = self.served.current();
        let summary = &served.summary;
        let temporary = summary.is_temporary();
        let serving_a_real_valid_one = !temporary && now < summary.not_after;
        let (certificate_state, error) = match &verdict {
            Verdict::Valid { .. } => (CertificateState::Ok, None),
            // Renewal under way or failing: the served certificate still works.
            Verdict::NeedsCertificate(Need::RenewalDue) if serving_a_real_valid_one => (
                CertificateState::Ok,
                missing_credential(settings).or_else(|| state.failure.clone()),
            ),
            _ if state.requesting => (CertificateState::Requesting, None),
            Verdict::Error(error) => (CertificateState::Error, Some(error.clone())),
            Verdict::NeedsCertificate(_) => match (missing_credential(settings), &state.failure) {
                (Some(error), _) => (CertificateState::Error, Some(error)),
                (None, Some(failure)) => (CertificateState::Error, Some(failure.clone())),
                (None, None) => (CertificateState::NeedsCertificate, None),
            },
        };
        let next_attempt = match verdict {
            Verdict::Valid { renewal_starts } => Some(renewal_starts),
            _ if state.failure.is_some() => state.not_before,
            _ => None,
        };
        let last_attempt = state.last_attempt;
        // The worker has something to do when a certificate is needed, or when a pair put on
        // disk by hand is not served yet; every other change comes from a person's action,
        // which wakes it itself.
        let disk_pair_not_served = matches!(&state.on_disk, DiskCertificate::Readable(pair)
            if pair.summary.fingerprint != summary.fingerprint);
        drop(state);
        if matches!(verdict, Verdict::NeedsCertificate(_)) || disk_pair_not_served {
            self.wake.notify_one();
        }

        let subject = settings
            .certificate
            .subject_cn
            .clone()
            .filter(|subject| summary.names(subject))
            .or_else(|| summary.common_name.clone());
        CertificateStatus {
            state: certificate_state,
            error,
            https_address: subject
                .as_deref()
                .filter(|_| !temporary)
                .and_then(|subject| https_address(ip, subject, self.https_port)),
            subject,
            not_before: Some(rfc3339(summary.not_before)),
            not_after: Some(rfc3339(summary.not_after)),
            renewal_starts: (!temporary).then(|| rfc3339(check::renewal_starts(summary))),
            days_left: Some((summary.not_after - now).whole_days()),
            temporary,
            last_attempt: last_attempt.map(rfc3339),
            next_attempt: next_attempt.map(rfc3339),
        }
    }

    /// A person opened the homepage: as documented, that retries a failed request at once,
    /// skipping the back-off, at most once per [`MANUAL_RETRY_GAP`].
    pub fn page_visited(&self) {
        self.lock_state().manual_request = true;
        self.wake.notify_one();
    }

    /// "Try again": as a page visit, and also replaces a certificate that cannot be read.
    pub fn try_again(&self) {
        {
            let mut state = self.lock_state();
            state.manual_request = true;
            state.replace_unreadable = true;
        }
        self.wake.notify_one();
    }

    /// The credential (or the server) changed: earlier failures say nothing about the new
    /// one, which is tried at once, within the server's own `Retry-After`. Called only on a
    /// real change, so saving the same values again cannot hammer the server.
    pub fn credential_changed(&self) {
        {
            let mut state = self.lock_state();
            state.failure = None;
            state.failures_in_a_row = 0;
            state.not_before = None;
            state.manual_request = true;
            state.last_manual_attempt = None;
        }
        self.wake.notify_one();
    }

    /// The worker. Runs for the life of the box.
    pub async fn run(self: Arc<Self>) {
        loop {
            match self.next_step() {
                Step::Wait(pause) => {
                    tokio::select! {
                        _ = self.wake.notified() => {}
                        _ = tokio::time::sleep(pause) => {}
                    }
                }
                Step::Request {
                    db_uuid,
                    contract_number,
                } => {
                    let result = self.request(&db_uuid, &contract_number).await;
                    self.record(result);
                }
            }
        }
    }

    fn next_step(&self) -> Step {
        let now = OffsetDateTime::now_utc();
        let settings = self.settings.current().0;
        let mut state = self.lock_state();
        self.refresh_disk(&mut state);
        self.serve_what_is_on_disk(&state, now);

        let verdict = check::check(settings.odoo.server_url.is_some(), &state.on_disk, now);
        let wanted = match &verdict {
            Verdict::Valid { renewal_starts } => {
                state.manual_request = false;
                state.replace_unreadable = false;
                return Step::Wait(until(*renewal_starts, now).min(PERIODIC_CHECK));
            }
            // Documented: no request while the box is not connected.
            Verdict::Error(error) if error.code == ErrorCode::CheckNoServer => false,
            // An unreadable pair is reported, and replaced only on "Try again".
            Verdict::Error(_) => state.replace_unreadable,
            Verdict::NeedsCertificate(_) => true,
        };
        if !wanted || missing_credential(&settings).is_some() {
            state.manual_request = false;
            state.replace_unreadable = false;
            return Step::Wait(PERIODIC_CHECK);
        }

        let due = if state.manual_request {
            state
                .last_manual_attempt
                .map_or(now, |last| last + MANUAL_RETRY_GAP)
        } else {
            state.not_before.unwrap_or(now)
        }
        .max(state.server_asked_not_before.unwrap_or(now));
        if now < due {
            return Step::Wait(until(due, now));
        }
        if state.manual_request {
            state.last_manual_attempt = Some(now);
        }
        state.manual_request = false;
        state.replace_unreadable = false;
        state.requesting = true;
        state.last_attempt = Some(now);
        let credential = settings.credential;
        Step::Request {
            db_uuid: credential.db_uuid.unwrap_or_default(),
            contract_number: credential
                .contract_number
                .map(|number| number.expose().to_string())
                .unwrap_or_default(),
        }
    }

    /// Asks, validates, stores, serves. A pair that fails validation never touches the disk
    /// or the listener. Gives the pair now stored and served.
    async fn request(
        &self,
        db_uuid: &str,
        contract_number: &str,
    ) -> Result<Arc<CertificatePair>, LoadFailure> {
        tracing::info!(url = %self.server.url(), "requesting a certificate");
        let issued = self.server.request(db_uuid, contract_number).await?;
        let unusable = |reason: String| {
            CertificateError::new(
                ErrorCode::LoadRequestNoResult,
                format!("the certificate server sent an unusable certificate: {reason}"),
            )
        };
        let pair = pair::parse(&issued.x509_pem, &issued.private_key_pem)
            .map_err(|e| unusable(e.to_string()))?;
        pair::check_issued(&pair.summary, &issued.subject_cn, OffsetDateTime::now_utc())
            .map_err(|e| unusable(e.to_string()))?;
        self.store.save(&pair).map_err(|e| {
            CertificateError::new(
                ErrorCode::CheckCertReadException,
                format!("cannot store the new certificate: {e}"),
            )
        })?;
        let pair = Arc::new(pair);
        self.served.replace(pair.clone());
        let subject_cn = issued.subject_cn;
        if let Err(error) = self
            .settings
            .update(|s| s.certificate.subject_cn = Some(subject_cn.clone()))
        {
            // The certificate itself names its subject: serving it is still right.
            tracing::warn!(%error, "the subject could not be written to the settings");
        }
        tracing::info!(
            subject = %subject_cn,
            not_after = %rfc3339(pair.summary.not_after),
            serial = %pair.summary.serial,
            "new certificate stored and served"
        );
        Ok(pair)
    }

    fn record(&self, result: Result<Arc<CertificatePair>, LoadFailure>) {
        let now = OffsetDateTime::now_utc();
        let mut state = self.lock_state();
        state.requesting = false;
        if let Ok(pair) = &result {
            // What was just stored is known: no need to read and parse it again.
            state.disk_stamp = self.store.stamp();
            state.on_disk = DiskCertificate::Readable(pair.clone());
        }
        match result {
            Ok(pair) if check::renewal_starts(&pair.summary) > now => {
                state.failure = None;
                state.failures_in_a_row = 0;
                state.not_before = None;
            }
            Ok(_) => {
                // A certificate due from its first second (a very short one) is asked for
                // again, but spaced as after a failure, or the box would ask without end.
                state.failure = None;
                state.failures_in_a_row += 1;
                let delay =
                    schedule::retry_delay(state.failures_in_a_row, None, schedule::jitter());
                state.not_before = Some(now + delay);
            }
            Err(LoadFailure { error, retry_after }) => {
                state.failures_in_a_row += 1;
                let delay =
                    schedule::retry_delay(state.failures_in_a_row, retry_after, schedule::jitter());
                state.not_before = Some(now + delay);
                state.server_asked_not_before =
                    retry_after.map(|asked| now + asked.min(schedule::MAX_RETRY_AFTER));
                tracing::warn!(
                    code = %error.code,
                    detail = %error.detail,
                    retry_in_s = delay.as_secs(),
                    "no certificate"
                );
                state.failure = Some(error);
            }
        }
    }

    /// Reads the files again only when their `stat` changed.
    fn refresh_disk(&self, state: &mut EngineState) {
        let stamp = self.store.stamp();
        if stamp != state.disk_stamp {
            state.disk_stamp = stamp;
            state.on_disk = self.store.read();
        }
    }

    /// A valid pair put on disk by hand (or by an installer) is served as it is.
    fn serve_what_is_on_disk(&self, state: &EngineState, now: OffsetDateTime) {
        if let DiskCertificate::Readable(pair) = &state.on_disk {
            let served = self.served.current();
            if pair.summary.fingerprint != served.summary.fingerprint
                && pair.summary.not_after > now
                && pair.summary.not_before <= now
            {
                tracing::info!(serial = %pair.summary.serial, "serving the certificate found on disk");
                self.served.replace(pair.clone());
            }
        }
    }

    fn lock_state(&self) -> MutexGuard<'_, EngineState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn missing_credential(settings: &Settings) -> Option<CertificateError> {
    let credential = &settings.credential;
    let missing = match (
        credential.db_uuid.as_deref().is_some_and(|v| !v.is_empty()),
        credential
            .contract_number
            .as_ref()
            .is_some_and(|v| !v.expose().is_empty()),
    ) {
        (true, true) => return None,
        (false, true) => "the database UUID is missing",
        (true, false) => "the contract number is missing",
        (false, false) => "the database UUID and the contract number are missing",
    };
    Some(CertificateError::new(ErrorCode::LoadNoCredential, missing))
}

fn until(at: OffsetDateTime, now: OffsetDateTime) -> Duration {
    Duration::try_from(at - now).unwrap_or(Duration::ZERO)
}
