//! The check: does the box need a new certificate? In the documented order: no Odoo server,
//! then no certificate file, then a file that cannot be read, then the temporary certificate,
//! then renewal time. Pure: the clock is an argument, so every decision can be tested.

use super::pair::CertificateSummary;
use super::store::DiskCertificate;
use model::error_code::{CertificateError, ErrorCode};
use time::{Duration, OffsetDateTime};

/// Renewal starts this long before expiry at the latest.
pub const RENEW_BEFORE_EXPIRY: Duration = Duration::days(10);

/// From this long before expiry, a certificate not yet renewed is warned of: time for a
/// person to fix what the renewal needs.
pub const WARN_BEFORE_EXPIRY: Duration = Duration::days(14);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Valid { renewal_starts: OffsetDateTime },
    NeedsCertificate(Need),
    Error(CertificateError),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    NoCertificate,
    Temporary,
    RenewalDue,
}

pub fn check(server_configured: bool, on_disk: &DiskCertificate, now: OffsetDateTime) -> Verdict {
    if !server_configured {
        return Verdict::Error(CertificateError::new(
            ErrorCode::CheckNoServer,
            "the box is not connected to an Odoo server",
        ));
    }
    let summary = match on_disk {
        DiskCertificate::Missing => return Verdict::NeedsCertificate(Need::NoCertificate),
        DiskCertificate::Unreadable(reason) => {
            return Verdict::Error(CertificateError::new(
                ErrorCode::CheckCertReadException,
                reason.clone(),
            ))
        }
        DiskCertificate::Readable(pair) => &pair.summary,
    };
    if summary.is_temporary() {
        return Verdict::NeedsCertificate(Need::Temporary);
    }
    let renewal_starts = renewal_starts(summary);
    if now >= renewal_starts {
        Verdict::NeedsCertificate(Need::RenewalDue)
    } else {
        Verdict::Valid { renewal_starts }
    }
}

/// Ten days before expiry, or when a third of the lifetime is left, whichever comes first:
/// a 60-day certificate is renewed 20 days ahead, leaving time for many retries. A
/// certificate shorter than ten days is due from its first second.
pub fn renewal_starts(summary: &CertificateSummary) -> OffsetDateTime {
    let lifetime = summary.not_after - summary.not_before;
    (summary.not_after - RENEW_BEFORE_EXPIRY.max(lifetime / 3)).max(summary.not_before)
}

/// Whether a served real certificate ends within [`WARN_BEFORE_EXPIRY`] and is due for
/// renewal: its renewal has not succeeded yet, or the box would serve the new one. A short
/// certificate is warned of only once its renewal is due.
pub fn expires_soon(summary: &CertificateSummary, now: OffsetDateTime) -> bool {
    let warn_from = (summary.not_after - WARN_BEFORE_EXPIRY).max(renewal_starts(summary));
    !summary.is_temporary() && now >= warn_from
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::pair::CertificatePair;
    use crate::certificate::temporary;
    use crate::certificate::TEMPORARY_CN;
    use std::sync::Arc;
    use time::macros::datetime;

    /// A real parsed pair whose dates and name are then set by the test.
    fn on_disk(cn: &str, not_before: OffsetDateTime, not_after: OffsetDateTime) -> DiskCertificate {
        let mut pair: CertificatePair = temporary::generate().unwrap();
        pair.summary.common_name = Some(cn.to_string());
        pair.summary.not_before = not_before;
        pair.summary.not_after = not_after;
        DiskCertificate::Readable(Arc::new(pair))
    }

    const ISSUED: OffsetDateTime = datetime!(2026-01-01 0:00 UTC);
    const EXPIRES: OffsetDateTime = datetime!(2026-03-02 0:00 UTC); // 60 days

    #[test]
    fn follows_the_documented_order() {
        let now = datetime!(2026-01-10 0:00 UTC);
        let unreadable = DiskCertificate::Unreadable("cannot read".into());
        let code = |verdict: Verdict| match verdict {
            Verdict::Error(error) => Some(error.code),
            _ => None,
        };
        assert_eq!(
            code(check(false, &unreadable, now)),
            Some(ErrorCode::CheckNoServer)
        );
        assert_eq!(
            check(true, &DiskCertificate::Missing, now),
            Verdict::NeedsCertificate(Need::NoCertificate)
        );
        assert_eq!(
            code(check(true, &unreadable, now)),
            Some(ErrorCode::CheckCertReadException)
        );
        assert_eq!(
            check(true, &on_disk(TEMPORARY_CN, ISSUED, EXPIRES), now),
            Verdict::NeedsCertificate(Need::Temporary)
        );
    }

    #[test]
    fn renews_when_a_third_of_the_lifetime_is_left() {
        let certificate = on_disk("*.abc.odoo-iot.com", ISSUED, EXPIRES);
        let starts = datetime!(2026-02-10 0:00 UTC); // 20 days before expiry
        assert_eq!(
            check(true, &certificate, starts - Duration::seconds(1)),
            Verdict::Valid {
                renewal_starts: starts
            }
        );
        assert_eq!(
            check(true, &certificate, starts),
            Verdict::NeedsCertificate(Need::RenewalDue)
        );
        assert_eq!(
            check(true, &certificate, EXPIRES + Duration::days(1)),
            Verdict::NeedsCertificate(Need::RenewalDue)
        );
    }

    #[test]
    fn renews_ten_days_ahead_when_that_comes_first() {
        // 15 days: a third is 5 days, so the ten-day margin applies.
        let expires = ISSUED + Duration::days(15);
        let certificate = on_disk("*.abc.odoo-iot.com", ISSUED, expires);
        let starts = expires - Duration::days(10);
        assert_eq!(
            check(true, &certificate, starts - Duration::seconds(1)),
            Verdict::Valid {
                renewal_starts: starts
            }
        );
        assert_eq!(
            check(true, &certificate, starts),
            Verdict::NeedsCertificate(Need::RenewalDue)
        );
    }
}
