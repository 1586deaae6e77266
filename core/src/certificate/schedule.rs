//! The engine's decisions, as pure functions: given what the engine remembers ([`Schedule`]),
//! the settings, the pair on disk, the pair served and the time ([`Facts`]), what to do next
//! ([`Step`]) and what to report ([`CertificateStatus`]). The worker in `engine.rs` only
//! carries them out, so every transition is tested below without processes or sockets.
//!
//! When to ask the certificate server: at once when a certificate is needed and the box has
//! a server and a credential; after a failure, as `backoff` says; never before the server's
//! own `Retry-After`. A person asking (a page visit, "Try again", a saved credential) skips
//! the back-off, at most once per [`MANUAL_RETRY_GAP`]. A certificate that cannot be read
//! (a failing SD card) is replaced by itself, as a missing one is: the box serves the kept
//! previous pair meanwhile, if it is still valid, and the unreadable files stay on disk,
//! kept aside, for whoever wants to look at them. A certificate that came already due for
//! renewal (a server hands out the one it has until it renews its own) is asked for again an
//! hour or more later, and page visits do not shorten that wait: a fleet of open pages must
//! not become a stream of requests.

use super::backoff::{
    retry_delay, DUE_RETRY, FIRST_RETRY, MANUAL_RETRY_GAP, MAX_RETRY_AFTER, PERIODIC_CHECK,
};
use super::check::{self, Need, Verdict};
use super::https_address::https_address;
use super::load::LoadFailure;
use super::pair::{CertificatePair, CertificateSummary};
use super::store::DiskCertificate;
use crate::settings::credential::Credential;
use crate::settings::Settings;
use crate::timestamp::rfc3339;
use model::certificate::{CertificateState, CertificateStatus};
use model::error_code::{CertificateError, ErrorCode};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// What the engine remembers between its steps.
#[derive(Clone, Debug, Default)]
pub struct Schedule {
    /// A request to the certificate server is under way.
    pub requesting: bool,
    /// Why the last request failed; cleared by a success or a new credential.
    failure: Option<CertificateError>,
    failures_in_a_row: u32,
    last_attempt: Option<OffsetDateTime>,
    /// No automatic request before this: the back-off.
    retry_at: Option<OffsetDateTime>,
    /// No request at all before this: the server's own `Retry-After`, which a person asking
    /// does not override either.
    server_retry_at: Option<OffsetDateTime>,
    /// The server gave a certificate already due for renewal: no request before this but for
    /// "Try again" or a new credential.
    renewal_deferred_until: Option<OffsetDateTime>,
    /// A person asked for a request, and how.
    asked: Option<Asked>,
    last_asked_attempt: Option<OffsetDateTime>,
}

/// How a person asked for a certificate; the stronger ask wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Asked {
    /// A page visit: retries a failed request.
    Visit,
    /// A new credential or server: also cuts short a deferred renewal.
    Change,
    /// "Try again": as a change.
    TryAgain,
}

/// What the decisions look at.
#[derive(Clone, Copy)]
pub struct Facts<'a> {
    pub settings: &'a Settings,
    pub on_disk: &'a DiskCertificate,
    pub served: &'a CertificateSummary,
    pub now: OffsetDateTime,
    /// The box's clock is wrong (see `clock.rs`): until it is right, requests fail, and page
    /// visits must not make them fail faster.
    pub clock_wrong: bool,
}

/// What the worker does next.
#[derive(Debug)]
pub enum Step {
    /// Serve this valid pair found on disk (an installer put it there), then decide again.
    Serve(Arc<CertificatePair>),
    /// Ask the certificate server with this credential, then [`Schedule::record`] the outcome.
    Request(Credential),
    /// Nothing to do for this long, unless woken.
    Wait(Duration),
}

impl Schedule {
    pub fn page_visited(&mut self) {
        self.ask(Asked::Visit);
    }

    pub fn try_again(&mut self) {
        self.ask(Asked::TryAgain);
    }

    /// The credential (or the server) changed: earlier failures say nothing about the new
    /// one, which is tried at once, within the server's own `Retry-After`.
    pub fn credential_changed(&mut self) {
        self.failure = None;
        self.failures_in_a_row = 0;
        self.retry_at = None;
        self.last_asked_attempt = None;
        self.ask(Asked::Change);
    }

    fn ask(&mut self, asked: Asked) {
        self.asked = self.asked.max(Some(asked));
    }

    pub fn next_step(&mut self, facts: &Facts) -> Step {
        let now = facts.now;
        // One request at a time: the worker records its outcome before it asks again.
        if self.requesting {
            return Step::Wait(PERIODIC_CHECK);
        }
        self.follow_a_clock_set_back(now);
        if let Some(pair) = disk_pair_to_serve(facts) {
            return Step::Serve(pair.clone());
        }
        let verdict = check::check(facts.settings.odoo.server_url.is_some(), facts.on_disk, now);
        if let Verdict::Valid { renewal_starts } = verdict {
            self.asked = None;
            return Step::Wait(until(renewal_starts, now).min(PERIODIC_CHECK));
        }
        let wanted = wants_a_certificate(&verdict);
        let credential = match credential(facts.settings) {
            Ok(credential) if wanted => credential,
            _ => {
                self.asked = None;
                return Step::Wait(PERIODIC_CHECK);
            }
        };
        // With a wrong clock a visit retries nothing; "Try again" and new values still do.
        if facts.clock_wrong && self.asked == Some(Asked::Visit) {
            self.asked = None;
        }
        let due = match self.asked {
            Some(Asked::Visit) => self
                .last_asked_attempt
                .map(|last| last + MANUAL_RETRY_GAP)
                .max(self.renewal_deferred_until),
            Some(_) => self.last_asked_attempt.map(|last| last + MANUAL_RETRY_GAP),
            None => self.retry_at,
        }
        .max(self.server_retry_at)
        .unwrap_or(now);
        if now < due {
            return Step::Wait(until(due, now).min(PERIODIC_CHECK));
        }
        if self.asked.take().is_some() {
            self.last_asked_attempt = Some(now);
        }
        self.requesting = true;
        self.last_attempt = Some(now);
        Step::Request(credential)
    }

    /// Records how a request ended: the summary of the pair now stored and served, or why it
    /// failed. `jitter` is [`super::backoff::jitter`]'s factor. Gives the wait before the
    /// next automatic request, if one is planned.
    pub fn record(
        &mut self,
        outcome: Result<&CertificateSummary, LoadFailure>,
        now: OffsetDateTime,
        jitter: f64,
    ) -> Option<Duration> {
        self.requesting = false;
        self.renewal_deferred_until = None;
        match outcome {
            Ok(summary) if check::renewal_starts(summary) > now => {
                self.failure = None;
                self.failures_in_a_row = 0;
                self.retry_at = None;
                self.server_retry_at = None;
                None
            }
            Ok(_) => {
                // Already due: the server has nothing newer yet. Asking again at once, or at
                // every page visit, would only bring the same certificate.
                self.failure = None;
                let delay = self.back_off(now, DUE_RETRY, None, jitter);
                self.renewal_deferred_until = self.retry_at;
                Some(delay)
            }
            Err(LoadFailure { error, retry_after }) => {
                self.failure = Some(error);
                self.server_retry_at = retry_after.map(|asked| now + asked.min(MAX_RETRY_AFTER));
                Some(self.back_off(now, FIRST_RETRY, retry_after, jitter))
            }
        }
    }

    fn back_off(
        &mut self,
        now: OffsetDateTime,
        first: Duration,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> Duration {
        self.failures_in_a_row += 1;
        let delay = retry_delay(first, self.failures_in_a_row, retry_after, jitter);
        self.retry_at = Some(now + delay);
        delay
    }

    /// A clock set back (a box without a battery-backed clock, corrected by NTP) would
    /// otherwise leave every wait measured from a time that has not come yet: it could stall
    /// the box for as long as the clock moved. The waits are kept, counted from now.
    fn follow_a_clock_set_back(&mut self, now: OffsetDateTime) {
        let Some(last) = self.last_attempt.max(self.last_asked_attempt) else {
            return;
        };
        if last <= now {
            return;
        }
        let shift = last - now;
        for time in [
            &mut self.last_attempt,
            &mut self.last_asked_attempt,
            &mut self.retry_at,
            &mut self.server_retry_at,
            &mut self.renewal_deferred_until,
        ]
        .into_iter()
        .flatten()
        {
            *time -= shift;
        }
    }

    /// What the page shows, and whether the worker has something to do (a certificate is
    /// needed, or a valid pair on disk is not served yet). `ip` and `https_port` make the
    /// HTTPS address.
    pub fn status(
        &self,
        facts: &Facts,
        ip: Option<IpAddr>,
        https_port: u16,
    ) -> (CertificateStatus, bool) {
        let now = facts.now;
        let settings = facts.settings;
        let verdict = check::check(settings.odoo.server_url.is_some(), facts.on_disk, now);
        let served = facts.served;
        let temporary = served.is_temporary();
        let serving_a_real_valid_one = !temporary && now < served.not_after;
        let missing_credential = || credential(settings).err();
        let (state, error) = match &verdict {
            // Ok only once the pair on disk is the one served.
            Verdict::Valid { .. } if serving_a_real_valid_one => (CertificateState::Ok, None),
            Verdict::Valid { .. } if self.requesting => (CertificateState::Requesting, None),
            Verdict::Valid { .. } => (CertificateState::NeedsCertificate, None),
            // Renewal under way or failing: the served certificate still works.
            Verdict::NeedsCertificate(Need::RenewalDue) if serving_a_real_valid_one => (
                CertificateState::Ok,
                missing_credential().or_else(|| self.failure.clone()),
            ),
            // Said while the box replaces it, too: the file on disk is still unusable.
            Verdict::Error(error) => (CertificateState::Error, Some(error.clone())),
            // The last failure stays said while the box tries again.
            _ if self.requesting => (CertificateState::Requesting, self.failure.clone()),
            Verdict::NeedsCertificate(_) => {
                match missing_credential().or_else(|| self.failure.clone()) {
                    Some(error) => (CertificateState::Error, Some(error)),
                    None => (CertificateState::NeedsCertificate, None),
                }
            }
        };
        let next_attempt = match verdict {
            Verdict::Valid { renewal_starts } => Some(renewal_starts),
            _ if self.failure.is_some() || self.renewal_deferred_until.is_some() => self.retry_at,
            _ => None,
        };
        let wake = wants_a_certificate(&verdict) || disk_pair_to_serve(facts).is_some();
        // The subject the server named, while the served certificate is made for it.
        let subject = settings
            .certificate
            .subject_cn
            .clone()
            .filter(|subject| served.names(subject))
            .or_else(|| served.common_name.clone());
        let status = CertificateStatus {
            state,
            error,
            https_address: subject
                .as_deref()
                .filter(|_| !temporary)
                .and_then(|subject| https_address(ip, subject, https_port)),
            subject,
            not_before: Some(rfc3339(served.not_before)),
            not_after: Some(rfc3339(served.not_after)),
            renewal_starts: (!temporary).then(|| rfc3339(check::renewal_starts(served))),
            days_left: Some((served.not_after - now).whole_days()),
            temporary,
            expires_soon: check::expires_soon(served, now),
            renewal_deferred: self.renewal_deferred_until.is_some()
                && state == CertificateState::Ok,
            last_attempt: self.last_attempt.map(rfc3339),
            next_attempt: next_attempt.map(rfc3339),
        };
        (status, wake)
    }
}

/// Whether the check's verdict calls for a request: a certificate is needed, or the one on
/// disk cannot be read (nobody may be there to press a button, and the store keeps the
/// unreadable files aside); never while the box is not connected, as documented.
fn wants_a_certificate(verdict: &Verdict) -> bool {
    match verdict {
        Verdict::Valid { .. } => false,
        Verdict::Error(error) => error.code != ErrorCode::CheckNoServer,
        Verdict::NeedsCertificate(_) => true,
    }
}

/// A valid pair on disk that is not the one served: put there by an installer, or by hand.
fn disk_pair_to_serve<'a>(facts: &Facts<'a>) -> Option<&'a Arc<CertificatePair>> {
    match facts.on_disk {
        DiskCertificate::Readable(pair)
            if pair.summary.fingerprint != facts.served.fingerprint
                && pair.summary.valid_at(facts.now) =>
        {
            Some(pair)
        }
        _ => None,
    }
}

/// The credential of the settings, or which half of it is missing.
fn credential(settings: &Settings) -> Result<Credential, CertificateError> {
    let credential = &settings.credential;
    let missing = match (&credential.db_uuid, &credential.contract_number) {
        (Some(db_uuid), Some(contract_number)) => {
            return Ok(Credential {
                db_uuid: db_uuid.clone(),
                contract_number: contract_number.clone(),
            })
        }
        (None, Some(_)) => "the database UUID is missing",
        (Some(_), None) => "the contract number is missing",
        (None, None) => "the database UUID and the contract number are missing",
    };
    Err(CertificateError::new(ErrorCode::LoadNoCredential, missing))
}

fn until(at: OffsetDateTime, now: OffsetDateTime) -> Duration {
    Duration::try_from(at - now).unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests;
