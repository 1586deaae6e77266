//! The engine: one worker task that carries out what `schedule` decides. It checks the
//! certificate, asks the certificate server when a new one is needed, stores and serves what
//! it gets, and waits. Status readers never wait for it: they read its state, and wake it.
//!
//! Only the worker asks the certificate server, one request at a time, so at most one
//! request is ever in flight however many pages poll. File reads, writes and syncs run off
//! the async runtime.
//!
//! What it stands on is passed in: where the pair is kept ([`PairStorage`]), who issues
//! certificates ([`Issuer`]), the clocks and the back-off's randomness. The box gives it
//! files, the vendor's server and the system's clocks; its tests (`engine/tests.rs`) give it
//! memory, a scripted server and clocks they move, as certmagic tests its maintenance.

use super::load::{CertificateServer, Issued, Issuer, LoadFailure, Timeouts};
use super::pair::{self, CertificatePair};
use super::schedule::{Facts, Schedule, Step};
use super::serve::ServedCertificate;
use super::store::{CertificateStore, DiskCertificate, PairStorage};
use super::{backoff, temporary};
use crate::blocking::WorkFailed;
use crate::clock::{self, Clock, SystemClock};
use crate::settings::credential::Credential;
use crate::settings::file::SettingsFile;
use crate::settings::Settings;
use crate::timestamp::rfc3339;
use model::certificate::CertificateStatus;
use model::clock::ClockProblem;
use model::error_code::{CertificateError, ErrorCode};
use rustls_pki_types::CertificateDer;
use std::net::IpAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};
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

/// The engine on its storage `S` and its issuer `I`: by default the box's own, files and the
/// vendor's server.
pub struct CertificateEngine<S: PairStorage = CertificateStore, I: Issuer = CertificateServer> {
    settings: Arc<SettingsFile>,
    store: S,
    served: Arc<ServedCertificate>,
    server: I,
    clock: Arc<dyn Clock>,
    /// The back-off's jitter factor (`backoff::jitter`), drawn at each outcome.
    jitter: fn() -> f64,
    https_port: u16,
    state: Mutex<EngineState<S::Stamp>>,
    wake: Notify,
    /// Told of each failed request, with its code (the diagnostics listen).
    on_failure: std::sync::OnceLock<FailureHook>,
    /// Told of each stored certificate, with its end date (the ERP is told).
    on_stored: std::sync::OnceLock<StoredHook>,
    /// The worker's decisions so far: a fleet sees it alive by this moving, and a test knows
    /// the worker has looked before it says nothing was asked.
    checks: AtomicU64,
}

pub type FailureHook = Box<dyn Fn(ErrorCode) + Send + Sync>;
pub type StoredHook = Box<dyn Fn(OffsetDateTime) + Send + Sync>;

struct EngineState<Stamp> {
    /// The pair on disk as last read, and the stamp of its files then.
    disk_stamp: Stamp,
    on_disk: DiskCertificate,
    /// The certificate server's clock at its last answer, and when that was (monotonic).
    server_clock: Option<(Instant, SystemTime)>,
    schedule: Schedule,
}

/// A pair the worker stored, with the stamp of its files.
struct Stored<Stamp> {
    pair: Arc<CertificatePair>,
    stamp: Stamp,
}

impl CertificateEngine {
    /// The box's engine: its files under `data_dir`, the certificate server of `config`, the
    /// system's clocks. Blocking: reads the certificate files.
    pub fn open(
        settings: Arc<SettingsFile>,
        data_dir: &Path,
        config: &EngineConfig,
    ) -> Result<Self, EngineError> {
        let store = CertificateStore::open(data_dir).map_err(EngineError::Store)?;
        let server = CertificateServer::new(
            config.cert_server.clone(),
            &config.extra_roots,
            config.timeouts,
        )
        .map_err(EngineError::CertificateServer)?;
        let parts = Parts {
            store,
            server,
            clock: Arc::new(SystemClock),
            jitter: backoff::jitter,
        };
        Self::with_parts(settings, parts, config.https_port)
    }
}

/// What an engine stands on.
pub struct Parts<S, I> {
    pub store: S,
    pub server: I,
    pub clock: Arc<dyn Clock>,
    pub jitter: fn() -> f64,
}

impl<S: PairStorage, I: Issuer> CertificateEngine<S, I> {
    /// Serves the pair in `store` while it is valid, the kept previous one while the current
    /// cannot be read, a temporary one otherwise. Blocking: reads the storage.
    pub fn with_parts(
        settings: Arc<SettingsFile>,
        parts: Parts<S, I>,
        https_port: u16,
    ) -> Result<Self, EngineError> {
        let Parts {
            store,
            server,
            clock,
            jitter,
        } = parts;
        let on_disk = store.read();
        let now = clock.now();
        let served = match &on_disk {
            DiskCertificate::Readable(pair) if pair.summary.not_after > now => Some(pair.clone()),
            // A failing card: the pair kept before it still works for payment terminals while
            // the worker asks for a new one.
            DiskCertificate::Unreadable(reason) => {
                let previous = store
                    .read_previous()
                    .filter(|pair| !pair.summary.is_temporary() && pair.summary.valid_at(now));
                tracing::warn!(
                    %reason,
                    serving_previous = previous.is_some(),
                    "the current certificate cannot be read; asking for a new one"
                );
                previous
            }
            _ => None,
        };
        let served = match served {
            Some(pair) => pair,
            None => Arc::new(temporary::generate().map_err(EngineError::Temporary)?),
        };
        Ok(Self {
            settings,
            served: Arc::new(ServedCertificate::new(served)),
            server,
            clock,
            jitter,
            https_port,
            state: Mutex::new(EngineState {
                disk_stamp: store.stamp(),
                on_disk,
                server_clock: None,
                schedule: Schedule::default(),
            }),
            store,
            wake: Notify::new(),
            on_failure: std::sync::OnceLock::new(),
            on_stored: std::sync::OnceLock::new(),
            checks: AtomicU64::new(0),
        })
    }

    /// The certificate server the engine asks.
    pub fn server(&self) -> &I {
        &self.server
    }

    /// Sets who is told of failed requests (once; called from the worker, on the runtime).
    pub fn on_failure(&self, hook: FailureHook) {
        if self.on_failure.set(hook).is_err() {
            tracing::error!("a second failure hook was refused");
        }
    }

    /// Sets who is told of each stored certificate (once; called from the worker, on the
    /// runtime).
    pub fn on_stored(&self, hook: StoredHook) {
        if self.on_stored.set(hook).is_err() {
            tracing::error!("a second stored-certificate hook was refused");
        }
    }

    /// How many times the worker has decided what to do next.
    pub fn checks(&self) -> u64 {
        self.checks.load(Ordering::Relaxed)
    }

    /// The certificate the HTTPS listener serves.
    pub fn served(&self) -> &Arc<ServedCertificate> {
        &self.served
    }

    /// The state for the page, under `settings` (the caller's reading of the file); wakes the
    /// worker when it has something to do, never waits for it. Blocking: may read the files.
    pub fn status(&self, settings: &Settings, ip: Option<IpAddr>) -> CertificateStatus {
        let now = self.clock.now();
        self.refresh_disk();
        let state = self.lock_state();
        // Under the lock: the worker serves a new pair before it records it, never after.
        let served = self.served.current();
        let facts = Facts {
            settings,
            on_disk: &state.on_disk,
            served: &served.summary,
            now,
            clock_wrong: self.judge_clock(&state, now).is_some(),
        };
        let (status, wake) = state.schedule.status(&facts, ip, self.https_port);
        drop(state);
        if wake {
            self.wake.notify_one();
        }
        status
    }

    /// Whether the box's clock, reading `now`, is wrong, and how the box knows.
    pub fn clock_problem(&self, now: OffsetDateTime) -> Option<ClockProblem> {
        self.judge_clock(&self.lock_state(), now)
    }

    /// A person opened the homepage: as documented, that retries a failed request.
    pub fn page_visited(&self) {
        self.lock_state().schedule.page_visited();
        self.wake.notify_one();
    }

    /// "Try again": as a page visit, and also cuts short a deferred renewal.
    pub fn try_again(&self) {
        self.lock_state().schedule.try_again();
        self.wake.notify_one();
    }

    /// The credential or the server changed: tried at once.
    pub fn credential_changed(&self) {
        self.lock_state().schedule.credential_changed();
        self.wake.notify_one();
    }

    /// The worker. Runs for the life of the box.
    pub async fn run(self: Arc<Self>) {
        loop {
            if let Some(pause) = self.step().await {
                tokio::select! {
                    _ = self.wake.notified() => {}
                    _ = tokio::time::sleep(pause) => {}
                }
            }
        }
    }

    /// Decides what to do next and does it; gives how long to wait when there is nothing
    /// to do.
    async fn step(self: &Arc<Self>) -> Option<Duration> {
        let step = self.off_the_runtime(|engine| engine.next_step()).await;
        self.checks.fetch_add(1, Ordering::Relaxed);
        match step {
            Step::Wait(pause) => return Some(pause),
            Step::Serve(pair) => {
                tracing::info!(serial = %pair.summary.serial, "serving the certificate found on disk");
                self.served.replace(pair);
            }
            Step::Request(credential) => {
                let result = self.request(credential).await;
                self.record(result);
            }
        }
        None
    }

    /// Blocking: a `stat` of the settings and certificate files, a read when they changed.
    fn next_step(&self) -> Step {
        let settings = self.settings.current().0;
        let served = self.served.current();
        self.refresh_disk();
        let mut state = self.lock_state();
        let now = self.clock.now();
        let clock_wrong = self.judge_clock(&state, now).is_some();
        let EngineState {
            on_disk, schedule, ..
        } = &mut *state;
        schedule.next_step(&Facts {
            settings: &settings,
            on_disk,
            served: &served.summary,
            now,
            clock_wrong,
        })
    }

    /// Asks, then validates, stores and serves. A pair that fails validation never touches
    /// the disk or the listener.
    async fn request(
        self: &Arc<Self>,
        credential: Credential,
    ) -> Result<Stored<S::Stamp>, LoadFailure> {
        let exchange = self.server.request(&credential).await;
        if let Some(server_time) = exchange.server_time {
            self.lock_state().server_clock = Some((self.clock.monotonic(), server_time));
        }
        let issued = exchange.outcome?;
        self.off_the_runtime(move |engine| engine.accept(issued))
            .await
    }

    /// Blocking: writes and syncs the new files.
    fn accept(&self, issued: Issued) -> Result<Stored<S::Stamp>, LoadFailure> {
        let unusable = |reason: String| {
            CertificateError::new(
                ErrorCode::LoadRequestNoResult,
                format!("the certificate server sent an unusable certificate: {reason}"),
            )
        };
        let pair = pair::parse(&issued.x509_pem, &issued.private_key_pem)
            .map_err(|e| unusable(e.to_string()))?;
        pair::check_issued(&pair.summary, &issued.subject_cn, self.clock.now())
            .map_err(|e| unusable(e.to_string()))?;
        self.store.save(&pair).map_err(|e| {
            CertificateError::new(
                ErrorCode::CheckCertReadException,
                format!(
                    "the certificate server gave a certificate, but the box could not write \
                     it, and keeps the one it had: {e}"
                ),
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
        Ok(Stored {
            pair,
            stamp: self.store.stamp(),
        })
    }

    fn record(&self, result: Result<Stored<S::Stamp>, LoadFailure>) {
        let (now, jitter) = (self.clock.now(), (self.jitter)());
        let mut state = self.lock_state();
        match result {
            Ok(Stored { pair, stamp }) => {
                // What was just stored is known: no need to read and parse it again.
                state.disk_stamp = stamp;
                state.on_disk = DiskCertificate::Readable(pair.clone());
                state.schedule.record(Ok(&pair.summary), now, jitter);
                drop(state);
                if let Some(hook) = self.on_stored.get() {
                    hook(pair.summary.not_after);
                }
            }
            Err(failure) => {
                let error = failure.error.clone();
                let delay = state.schedule.record(Err(failure), now, jitter);
                drop(state);
                tracing::warn!(
                    code = %error.code,
                    detail = %error.detail,
                    retry_in_s = delay.map_or(0, |delay| delay.as_secs()),
                    "no certificate"
                );
                if let Some(hook) = self.on_failure.get() {
                    hook(error.code);
                }
            }
        }
    }

    /// Reads the files again only when their `stat` changed, and outside the lock: a page
    /// visit or the worker's record never waits for a file to be read and parsed. While a
    /// request is under way the worker owns the files: it may have stored the new pair and
    /// not yet served it, and records what it stored when it is done.
    fn refresh_disk(&self) {
        let stamp = self.store.stamp();
        {
            let state = self.lock_state();
            if state.schedule.requesting || stamp == state.disk_stamp {
                return;
            }
        }
        let on_disk = self.store.read();
        let mut state = self.lock_state();
        // Only what was read for these very files: the worker may have recorded a new pair,
        // or someone changed them again, meanwhile.
        if !state.schedule.requesting && state.disk_stamp != stamp && self.store.stamp() == stamp {
            state.disk_stamp = stamp;
            state.on_disk = on_disk;
        }
    }

    /// Runs blocking work of the engine on tokio's blocking threads. The worker cannot go
    /// on without it: a failure fails the worker, which its supervisor sees.
    async fn off_the_runtime<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Self) -> T + Send + 'static,
    ) -> T {
        let engine = self.clone();
        match crate::blocking::off_the_runtime(move || work(&engine)).await {
            Ok(value) => value,
            // The box stops, and the worker with it: not a failure.
            Err(WorkFailed::Stopping) => std::future::pending().await,
            Err(failed) => panic!("the certificate worker stops: {failed}"),
        }
    }

    fn lock_state(&self) -> MutexGuard<'_, EngineState<S::Stamp>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The clocks' verdict, with the certificate server's clock carried forward from its
    /// last answer on the monotonic clock (which setting the wall clock does not move).
    fn judge_clock(
        &self,
        state: &EngineState<S::Stamp>,
        now: OffsetDateTime,
    ) -> Option<ClockProblem> {
        let server_now = state.server_clock.map(|(heard, server_time)| {
            let since = self.clock.monotonic().saturating_duration_since(heard);
            OffsetDateTime::from(server_time + since)
        });
        clock::judge(now, clock::built_at(), server_now)
    }
}

#[cfg(test)]
mod tests;
