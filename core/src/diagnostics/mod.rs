//! Why, found out: the way to the certificate server step by step (`route`), and whether the
//! box's HTTPS address resolves (`address`). A run is bounded in time (each route step by
//! [`route::STEP_TIMEOUT`], each lookup by two [`address::ATTEMPT_TIMEOUT`]) and in
//! frequency: one at a time; on demand at most every [`ASKED_GAP`] (a quicker ask gets the
//! last result); after failed certificate requests at most every [`AFTER_FAILURE_GAP`] while
//! they fail the same way, and after [`ASKED_GAP`] when they fail another way. A person's
//! run checks both; a failure's run checks the route, which may explain it. At most
//! [`MOST_WAITING`] asks wait for a run under way; more get the last results at once.

pub mod address;
mod presented;
pub mod route;

use crate::timestamp::rfc3339;
use address::{AddressTarget, Resolvers};
use model::diagnostics::address::{address_verdict, AddressCheck};
use model::diagnostics::route::RouteDiagnosis;
use model::diagnostics::DiagnosticsReport;
use model::error_code::ErrorCode;
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

/// Asks that may wait for a run under way: a flood of asks sheds rather than queues.
pub const MOST_WAITING: usize = 8;

/// Why a run is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    Asked,
    /// A certificate request failed with this code.
    AfterFailure(ErrorCode),
}

/// The last run: when it started (monotonic), and why; and the last result of each check.
#[derive(Default)]
struct Last {
    run: Option<(Instant, Trigger)>,
    report: DiagnosticsReport,
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
    resolvers: Resolvers,
    /// Held for the whole of a run: one at a time, and a second ask waits for the first.
    running: tokio::sync::Mutex<()>,
    /// Places for asks running or waiting for `running`.
    places: tokio::sync::Semaphore,
    last: Mutex<Last>,
}

impl Diagnostics {
    pub fn new(cert_server: Url, roots: Arc<RootCertStore>, resolvers: Resolvers) -> Self {
        Self {
            cert_server,
            roots,
            resolvers,
            running: tokio::sync::Mutex::new(()),
            places: tokio::sync::Semaphore::new(1 + MOST_WAITING),
            last: Mutex::new(Last::default()),
        }
    }

    /// The last result of each check.
    pub fn report(&self) -> DiagnosticsReport {
        self.lock_last().report.clone()
    }

    /// A person asked: runs every check unless a run started less than [`ASKED_GAP`] ago
    /// (waiting for one under way), and gives the newest results. `address` is the box's
    /// HTTPS address, when it has one.
    pub async fn run_asked(&self, address: Option<AddressTarget>) -> DiagnosticsReport {
        let Ok(_place) = self.places.try_acquire() else {
            return self.report();
        };
        let _running = self.running.lock().await;
        if !due(Trigger::Asked, self.lock_last().run, Instant::now()) {
            return self.report();
        }
        let started = Instant::now();
        let (route, address) = tokio::join!(self.route(), self.address(address));
        let mut last = self.lock_last();
        last.run = Some((started, Trigger::Asked));
        last.report = DiagnosticsReport {
            route: Some(route),
            address,
        };
        last.report.clone()
    }

    /// A certificate request failed with `code`, which the route may explain: runs that check
    /// unless a run is under way, or the same failure was diagnosed less than
    /// [`AFTER_FAILURE_GAP`] ago.
    pub async fn run_after_failure(&self, code: ErrorCode) {
        let Ok(_running) = self.running.try_lock() else {
            return;
        };
        let trigger = Trigger::AfterFailure(code);
        if !due(trigger, self.lock_last().run, Instant::now()) {
            return;
        }
        let started = Instant::now();
        let route = self.route().await;
        let mut last = self.lock_last();
        last.run = Some((started, trigger));
        last.report.route = Some(route);
    }

    async fn route(&self) -> RouteDiagnosis {
        let started = Instant::now();
        let at = rfc3339(OffsetDateTime::now_utc());
        let (steps, verdict) = route::trace(&self.cert_server, self.roots.clone()).await;
        tracing::info!(
            ?verdict,
            took_ms = started.elapsed().as_millis() as u64,
            "the way to the certificate server"
        );
        RouteDiagnosis { at, steps, verdict }
    }

    async fn address(&self, target: Option<AddressTarget>) -> Option<AddressCheck> {
        let target = target?;
        let at = rfc3339(OffsetDateTime::now_utc());
        let network_resolver = self.resolvers.network().await;
        let (network, public) = tokio::join!(
            address::lookup(&target.name, network_resolver),
            address::lookup(&target.name, Some(self.resolvers.public)),
        );
        let box_ip = target.ip.to_string();
        let verdict = address_verdict(&box_ip, &network.answer, &public.answer);
        tracing::info!(
            ?verdict,
            network_ms = network.duration_ms,
            public_ms = public.duration_ms,
            "the box's HTTPS address"
        );
        Some(AddressCheck {
            at,
            name: target.name,
            box_ip,
            network,
            public,
            verdict,
        })
    }

    fn lock_last(&self) -> std::sync::MutexGuard<'_, Last> {
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
        let targets = crate::logs::levels::targets(model::log_level::Component::Certificate);
        assert!(targets.contains(&this_module));
    }
}
