//! Is the box's clock right? A box without a battery-backed clock starts in 1970 until NTP
//! sets it, and a clock that is wrong breaks TLS to the certificate server and the dates of
//! every certificate. Two witnesses, both pure inputs here: the day this software was built
//! (nothing runs before it was written), and the certificate server's own clock (the `Date`
//! of its last answer, carried forward on the monotonic clock, which NTP does not move).
//! Beside them, the kernel says whether it thinks its clock is synchronised.

use crate::timestamp::rfc3339;
use model::clock::{ClockEvidence, ClockProblem};
use std::time::Instant;
use time::{Duration, OffsetDateTime};

/// The box's two clocks, read through this so that a test can move them: the wall clock,
/// which certificates' dates are compared with, and the monotonic one, which setting the
/// wall clock does not move.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
    fn monotonic(&self) -> Instant;
}

/// The system's clocks.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    fn monotonic(&self) -> Instant {
        Instant::now()
    }
}

/// Further apart than this, the clocks disagree: certificates are issued valid from a few
/// minutes before, so more is enough to refuse a fresh one.
pub const MAX_DIFFERENCE: Duration = Duration::minutes(5);

/// Whether the kernel says the system clock is synchronised (by NTP or the like); `None`
/// where it cannot tell. Read-only: `adjtimex` with no mode set changes nothing.
pub fn system_synchronised() -> Option<bool> {
    // SAFETY: a zeroed `timex` asks for nothing to change; the kernel only fills it in.
    let (state, timex) = unsafe {
        let mut timex: libc::timex = std::mem::zeroed();
        (libc::adjtimex(&mut timex), timex)
    };
    (state >= 0).then_some(state != libc::TIME_ERROR && timex.status & libc::STA_UNSYNC == 0)
}

/// The day the binary was built (see `build.rs`).
pub fn built_at() -> OffsetDateTime {
    let seconds: i64 = env!("IOTBOX_BUILT_AT").parse().unwrap_or(0);
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// What the clocks say of the box's clock reading `now`; `server_now` is the certificate
/// server's time now, as far as the box knows it.
pub fn judge(
    now: OffsetDateTime,
    built: OffsetDateTime,
    server_now: Option<OffsetDateTime>,
) -> Option<ClockProblem> {
    let evidence = match server_now {
        // The server's clock, when the box has heard it, is the better witness.
        Some(server_now) => {
            ((now - server_now).abs() > MAX_DIFFERENCE).then(|| ClockEvidence::CertificateServer {
                server_time: rfc3339(server_now),
            })
        }
        // A day of margin: the build machine's clock may be ahead of the box's.
        None => (now < built - Duration::days(1)).then(|| ClockEvidence::BeforeBuild {
            built: rfc3339(built),
        }),
    }?;
    Some(ClockProblem {
        box_time: rfc3339(now),
        evidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const BUILT: OffsetDateTime = datetime!(2026-11-26 12:00 UTC);

    #[test]
    fn the_kernel_says_whether_its_clock_is_synchronised() {
        // Either answer is right on some machine; the call itself must work on Linux.
        assert!(system_synchronised().is_some());
    }

    #[test]
    fn a_clock_before_the_build_is_wrong() {
        let problem = judge(datetime!(1970-01-01 0:00 UTC), BUILT, None).unwrap();
        assert_eq!(problem.box_time, "1970-01-01T00:00:00Z");
        assert!(matches!(
            problem.evidence,
            ClockEvidence::BeforeBuild { .. }
        ));
        assert_eq!(judge(BUILT - Duration::hours(12), BUILT, None), None);
        assert_eq!(judge(BUILT + Duration::days(400), BUILT, None), None);
    }

    #[test]
    fn a_clock_far_from_the_server_s_is_wrong_either_way() {
        let server_now = datetime!(2026-11-27 9:00 UTC);
        for off in [
            Duration::days(90),
            -Duration::days(90),
            Duration::minutes(6),
        ] {
            let problem = judge(server_now + off, BUILT, Some(server_now)).unwrap();
            assert_eq!(
                problem.evidence,
                ClockEvidence::CertificateServer {
                    server_time: "2026-11-27T09:00:00Z".into()
                }
            );
        }
        assert_eq!(
            judge(server_now + Duration::minutes(4), BUILT, Some(server_now)),
            None
        );
        // Once set right, the box agrees with the server again: no problem left.
        assert_eq!(judge(server_now, BUILT, Some(server_now)), None);
    }
}
