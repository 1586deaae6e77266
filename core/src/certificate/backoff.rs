//! How long the box waits before asking the certificate server again. After a failure it
//! waits about a minute, then twice as long after each further failure, up to about six
//! hours, with jitter, at the cap too, so that many boxes do not ask in step; a
//! `Retry-After` from the server is obeyed, up to a day, and spread by up to a fifth on top,
//! so that a fleet told the same time does not come back in the same second. After a
//! certificate that came already due, the same from an hour.
//! A person asking skips the wait after a failure, at most once per 10 s.

use std::time::Duration;

pub const FIRST_RETRY: Duration = Duration::from_secs(60);
/// The first wait after a certificate that came already due for renewal.
pub const DUE_RETRY: Duration = Duration::from_secs(3600);
pub const MAX_RETRY: Duration = Duration::from_secs(6 * 3600);
/// A `Retry-After` longer than this is taken as this: a misconfigured server must not silence
/// the box for weeks.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);
/// A person asking (a page visit, "Try again", a saved credential) asks at most this often,
/// so a button cannot hammer the server.
pub const MANUAL_RETRY_GAP: Duration = Duration::from_secs(10);
/// The certificate is checked at least this often, even when nothing asks.
pub const PERIODIC_CHECK: Duration = Duration::from_secs(3600);

/// The wait after the `failures`-th failure in a row (1 for the first), `first` after the
/// first one. `jitter` is a factor in 0.8..=1.2 (see [`jitter`]), a parameter so that tests
/// are exact: it spreads the doubled wait, capped at [`MAX_RETRY`], by a fifth either way,
/// and adds up to a fifth of a `Retry-After`.
pub fn retry_delay(
    first: Duration,
    failures: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    let jitter = jitter.clamp(0.8, 1.2);
    let doublings = failures.saturating_sub(1).min(16);
    let backoff = first
        .saturating_mul(1 << doublings)
        .min(MAX_RETRY)
        .mul_f64(jitter);
    match retry_after {
        Some(asked) => {
            let asked = asked.min(MAX_RETRY_AFTER);
            backoff.max(asked + asked.mul_f64((jitter - 0.8) / 2.0))
        }
        None => backoff,
    }
}

/// A random factor in 0.8..=1.2, for [`retry_delay`].
pub fn jitter() -> f64 {
    0.8 + fastrand::f64() * 0.4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_a_minute_to_six_hours() {
        let delays: Vec<u64> = (1..=11)
            .map(|n| retry_delay(FIRST_RETRY, n, None, 1.0).as_secs())
            .collect();
        assert_eq!(
            delays,
            [60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600]
        );
        assert_eq!(retry_delay(FIRST_RETRY, u32::MAX, None, 1.0), MAX_RETRY);
    }

    #[test]
    fn jitter_spreads_the_wait_by_a_fifth() {
        assert_eq!(retry_delay(FIRST_RETRY, 1, None, 0.8).as_secs(), 48);
        assert_eq!(retry_delay(FIRST_RETRY, 1, None, 1.2).as_secs(), 72);
        // At the cap too: boxes that failed for a day do not come back in step.
        assert_eq!(
            retry_delay(FIRST_RETRY, 20, None, 0.8),
            MAX_RETRY.mul_f64(0.8)
        );
        assert_eq!(
            retry_delay(FIRST_RETRY, 20, None, 1.2),
            MAX_RETRY.mul_f64(1.2)
        );
        for _ in 0..100 {
            assert!((0.8..=1.2).contains(&jitter()));
        }
    }

    #[test]
    fn obeys_retry_after_within_a_day() {
        let hour = Duration::from_secs(3600);
        // Never before it, spread up to a fifth after it.
        assert_eq!(retry_delay(FIRST_RETRY, 1, Some(hour), 0.8), hour);
        assert_eq!(
            retry_delay(FIRST_RETRY, 1, Some(hour), 1.0),
            hour.mul_f64(1.1)
        );
        assert_eq!(
            retry_delay(FIRST_RETRY, 1, Some(hour), 1.2),
            hour.mul_f64(1.2)
        );
        assert_eq!(
            retry_delay(FIRST_RETRY, 1, Some(Duration::from_secs(5)), 1.0),
            FIRST_RETRY
        );
        assert_eq!(
            retry_delay(FIRST_RETRY, 1, Some(hour * 1000), 0.8),
            MAX_RETRY_AFTER
        );
    }
}
