//! Why the box cannot get its certificate, found out: the way to the certificate server step
//! by step (`route`). A run is bounded in time (each step by [`route::STEP_TIMEOUT`]) and in
//! frequency: one at a time; on demand at most every [`ASKED_GAP`] (a quicker ask gets the
//! last result); after failed certificate requests at most every [`AFTER_FAILURE_GAP`] while
//! they fail the same way, and after [`ASKED_GAP`] when they fail another way.

pub mod route;

use crate::timestamp::rfc3339;
use app::model::diagnostics::Diagnosis;
use app::model::error_code::ErrorCode;
use rustls::RootCertStore;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use url::Url;

/// The shortest time between two runs a person asks for.
pub const ASKED_GAP: Duration = Duration::from_secs(10);
/// The shortest time between two runs after failed requests: the back-off already spaces
/// requests, this keeps a burst of "Try again" from doubling into diagnostics.
pub const AFTER_FAILURE_GAP: Duration = Duration::from_secs(60);

/// Why a run is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    Asked,
    /// A certificate request failed with this code.
    AfterFailure(ErrorCode),
}

/// The last run: when it started (monotonic), why, and what it found.
struct LastRun {
    started: Instant,
    trigger: Trigger,
    diagnosis: Diagnosis,
}

/// Whether a run wanted for `trigger` at `now` is due after `last`. A failure with another
/// code than the one last diagnosed is news, and is diagnosed at once.
fn due(trigger: Trigger, last: Option<(Instant, Trigger)>, now: Instant) -> bool {
    let Some((started, last_trigger)) = last else {
        return true;
    };
    let gap = match trigger {
        Trigger::Asked => ASKED_GAP,
        Trigger::AfterFailure(_) if trigger != last_trigger => ASKED_GAP,
        Trigger::AfterFailure(_) => AFTER_FAILURE_GAP,
    };
    now.saturating_duration_since(started) >= gap
}

pub struct Diagnostics {
    cert_server: Url,
    roots: Arc<RootCertStore>,
    /// Held for the whole of a run: one at a time, and a second ask waits for the first.
    running: tokio::sync::Mutex<()>,
    last: Mutex<Option<LastRun>>,
}

impl Diagnostics {
    pub fn new(cert_server: Url, roots: RootCertStore) -> Self {
        Self {
            cert_server,
            roots: Arc::new(roots),
            running: tokio::sync::Mutex::new(()),
            last: Mutex::new(None),
        }
    }

    /// The last run's result, if any.
    pub fn last(&self) -> Option<Diagnosis> {
        self.lock_last().as_ref().map(|last| last.diagnosis.clone())
    }

    /// A person asked: runs unless a run started less than [`ASKED_GAP`] ago (waiting for one
    /// under way), and gives the newest result.
    pub async fn run_asked(&self) -> Diagnosis {
        let _running = self.running.lock().await;
        if let Some(last) = self.lock_last().as_ref() {
            if !due(
                Trigger::Asked,
                Some((last.started, last.trigger)),
                Instant::now(),
            ) {
                return last.diagnosis.clone();
            }
        }
        self.run(Trigger::Asked).await
    }

    /// A certificate request failed with `code`, which the route may explain: runs unless one
    /// is under way, or the same failure was diagnosed less than [`AFTER_FAILURE_GAP`] ago.
    pub async fn run_after_failure(&self, code: ErrorCode) {
        let Ok(_running) = self.running.try_lock() else {
            return;
        };
        let trigger = Trigger::AfterFailure(code);
        let last = self
            .lock_last()
            .as_ref()
            .map(|last| (last.started, last.trigger));
        if due(trigger, last, Instant::now()) {
            self.run(trigger).await;
        }
    }

    async fn run(&self, trigger: Trigger) -> Diagnosis {
        let started = Instant::now();
        let at = rfc3339(OffsetDateTime::now_utc());
        let (route, verdict) = route::trace(&self.cert_server, self.roots.clone()).await;
        let diagnosis = Diagnosis { at, route, verdict };
        tracing::info!(
            verdict = ?diagnosis.verdict,
            took_ms = started.elapsed().as_millis() as u64,
            "diagnostics of the way to the certificate server"
        );
        *self.lock_last() = Some(LastRun {
            started,
            trigger,
            diagnosis: diagnosis.clone(),
        });
        diagnosis
    }

    fn lock_last(&self) -> std::sync::MutexGuard<'_, Option<LastRun>> {
        self.last.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXCEPTION: Trigger = Trigger::AfterFailure(ErrorCode::LoadRequestException);
    const STATUS_503: Trigger = Trigger::AfterFailure(ErrorCode::LoadRequestStatus(503));

    #[test]
    fn the_first_run_is_always_due() {
        let now = Instant::now();
        assert!(due(Trigger::Asked, None, now));
        assert!(due(EXCEPTION, None, now));
    }

    #[test]
    fn an_ask_waits_ten_seconds_after_any_run() {
        let started = Instant::now();
        let at = |seconds| started + Duration::from_secs(seconds);
        for last in [Trigger::Asked, EXCEPTION] {
            assert!(!due(Trigger::Asked, Some((started, last)), at(9)));
            assert!(due(Trigger::Asked, Some((started, last)), at(10)));
        }
    }

    #[test]
    fn the_same_failure_waits_a_minute_and_another_ten_seconds() {
        let started = Instant::now();
        let at = |seconds| started + Duration::from_secs(seconds);
        assert!(!due(EXCEPTION, Some((started, EXCEPTION)), at(59)));
        assert!(due(EXCEPTION, Some((started, EXCEPTION)), at(60)));
        assert!(!due(STATUS_503, Some((started, EXCEPTION)), at(9)));
        assert!(due(STATUS_503, Some((started, EXCEPTION)), at(10)));
        assert!(due(EXCEPTION, Some((started, Trigger::Asked)), at(10)));
    }

    #[test]
    fn its_log_level_covers_this_module() {
        let this_module = module_path!().strip_suffix("::tests").unwrap();
        let targets = crate::logs::levels::targets(app::model::log_level::Component::Certificate);
        assert!(targets.contains(&this_module));
    }
}
