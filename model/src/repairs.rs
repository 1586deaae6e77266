//! One list of what to fix, as Home Assistant's Repairs: every current problem of the box,
//! read from its status, each with its severity and the one-click action that fixes it where
//! there is one. The banner stays the summary; the list shows them all at once. Pure, so each
//! rule is tested here and the page renders the same list with or without JavaScript.

use super::box_status::BoxStatus;
use super::certificate::CertificateState;
use super::diagnostics::address::AddressVerdict;
use super::error_code::ErrorCode;

/// Most severe first: the list is sorted by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// HTTPS does not work, or will not: payment terminals refuse the box.
    Error,
    /// Something works less well than it should, or will fail if left.
    Warning,
    /// Worth knowing; nothing fails because of it.
    Notice,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Repair {
    /// The box has no usable certificate, for this documented reason.
    Certificate(ErrorCode),
    /// The served certificate works, but its last renewal failed for this reason.
    RenewalFailing(ErrorCode),
    /// The served certificate ends on this date (RFC 3339) and is not renewed yet.
    ExpiresSoon { not_after: String },
    /// The certificate server gave one already due; the box asks again from this time.
    RenewalDeferred { from: String },
    /// The settings file cannot be read; the box keeps the settings it read last.
    SettingsUnreadable,
    /// The box's clock is wrong.
    Clock,
    /// The HTTPS address does not lead to the box from this network.
    Address(AddressVerdict),
    /// The Odoo server was not told the certificate's end date, for this reason.
    ErpNotTold { problem: String },
    /// No admin password: anyone on the shop's network can change the box.
    NoPassword,
}

/// What one click does about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepairAction {
    /// Asks the certificate server now ("Try again").
    RenewNow,
    /// Runs the diagnostics again.
    RunChecks,
    OpenServerForm,
    OpenCredentialForm,
    OpenPasswordForm,
}

impl Repair {
    pub fn severity(&self) -> Severity {
        match self {
            // Not connected yet is where every box starts: said calmly, as the banner does.
            Self::Certificate(ErrorCode::CheckNoServer) => Severity::Notice,
            Self::Certificate(_) | Self::Clock | Self::ExpiresSoon { .. } => Severity::Error,
            Self::RenewalFailing(_)
            | Self::SettingsUnreadable
            | Self::Address(_)
            | Self::ErpNotTold { .. } => Severity::Warning,
            Self::RenewalDeferred { .. } | Self::NoPassword => Severity::Notice,
        }
    }

    pub fn action(&self) -> Option<RepairAction> {
        match self {
            Self::Certificate(code) | Self::RenewalFailing(code) => Some(match code {
                ErrorCode::CheckNoServer => RepairAction::OpenServerForm,
                ErrorCode::LoadNoCredential | ErrorCode::LoadRequestNoResult => {
                    RepairAction::OpenCredentialForm
                }
                _ => RepairAction::RenewNow,
            }),
            Self::ExpiresSoon { .. } => Some(RepairAction::RenewNow),
            Self::Address(_) => Some(RepairAction::RunChecks),
            Self::ErpNotTold { .. } => Some(RepairAction::OpenServerForm),
            Self::SettingsUnreadable => Some(RepairAction::OpenServerForm),
            Self::NoPassword => Some(RepairAction::OpenPasswordForm),
            Self::RenewalDeferred { .. } | Self::Clock => None,
        }
    }

    /// A stable name, for tests and scripts.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Certificate(_) => "certificate",
            Self::RenewalFailing(_) => "renewal_failing",
            Self::ExpiresSoon { .. } => "expires_soon",
            Self::RenewalDeferred { .. } => "renewal_deferred",
            Self::SettingsUnreadable => "settings_unreadable",
            Self::Clock => "clock",
            Self::Address(_) => "address",
            Self::ErpNotTold { .. } => "erp_not_told",
            Self::NoPassword => "no_password",
        }
    }
}

/// Every current problem of the box, most severe first (in the order below within a
/// severity).
pub fn repairs(status: &BoxStatus) -> Vec<Repair> {
    let certificate = &status.certificate;
    let mut found = Vec::new();
    if status.clock_problem.is_some() {
        found.push(Repair::Clock);
    }
    match (&certificate.error, certificate.state) {
        (Some(error), CertificateState::Ok) => found.push(Repair::RenewalFailing(error.code)),
        (Some(error), _) => found.push(Repair::Certificate(error.code)),
        (None, _) => {}
    }
    if certificate.expires_soon {
        if let Some(not_after) = &certificate.not_after {
            found.push(Repair::ExpiresSoon {
                not_after: not_after.clone(),
            });
        }
    }
    if certificate.renewal_deferred {
        if let Some(from) = &certificate.next_attempt {
            found.push(Repair::RenewalDeferred { from: from.clone() });
        }
    }
    if status.settings_problem.is_some() {
        found.push(Repair::SettingsUnreadable);
    }
    // An address check from before the box had its present address says nothing of it.
    if let Some(check) = &status.diagnostics.address {
        let current = certificate
            .https_address
            .as_deref()
            .is_some_and(|address| address.contains(&check.name));
        if current && check.verdict != AddressVerdict::ResolvesHere {
            found.push(Repair::Address(check.verdict.clone()));
        }
    }
    if let Some(problem) = status
        .erp_update
        .as_ref()
        .and_then(|update| update.problem.clone())
    {
        found.push(Repair::ErpNotTold { problem });
    }
    // Reached from other devices at all: the shop's network, shared with whoever is on it.
    if !status.access.password_set && status.ip_address.is_some() {
        found.push(Repair::NoPassword);
    }
    found.sort_by_key(Repair::severity);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::AccessStatus;
    use crate::certificate::CertificateStatus;
    use crate::clock::{ClockEvidence, ClockProblem};
    use crate::credential::CredentialStatus;
    use crate::diagnostics::address::{AddressCheck, Lookup, LookupAnswer};
    use crate::diagnostics::DiagnosticsReport;
    use crate::erp_update::{BoxIdentifier, ErpUpdate, IdentifierSource};
    use crate::error_code::CertificateError;
    use crate::log_level::LogLevelStatus;

    /// A box with a valid certificate, a password, and nothing wrong.
    fn healthy() -> BoxStatus {
        BoxStatus {
            name: "iotbox".into(),
            version: "1".into(),
            ip_address: Some("192.168.1.42".into()),
            homepage_by_ip: Some("http://192.168.1.42".into()),
            mac_address: None,
            identifier: BoxIdentifier {
                value: "iotbox".into(),
                source: IdentifierSource::HostName,
            },
            odoo_server: Some("https://erp.example.com".into()),
            credential: CredentialStatus::default(),
            log_level: LogLevelStatus::default(),
            settings_problem: None,
            certificate: CertificateStatus {
                state: CertificateState::Ok,
                error: None,
                subject: Some("*.abc.odoo-iot.com".into()),
                not_before: Some("2026-11-01T00:00:00Z".into()),
                not_after: Some("2026-12-31T00:00:00Z".into()),
                renewal_starts: Some("2026-12-11T00:00:00Z".into()),
                days_left: Some(30),
                temporary: false,
                expires_soon: false,
                renewal_deferred: false,
                last_attempt: None,
                next_attempt: None,
                https_address: Some("https://192-168-1-42.abc.odoo-iot.com".into()),
            },
            clock_problem: None,
            clock_synchronised: Some(true),
            diagnostics: DiagnosticsReport::default(),
            erp_update: None,
            access: AccessStatus {
                password_set: true,
                logged_in: false,
            },
            poll_interval_ms: 2000,
        }
    }

    fn failing(code: ErrorCode) -> Option<CertificateError> {
        Some(CertificateError::new(code, "detail"))
    }

    fn address_check(verdict: AddressVerdict) -> AddressCheck {
        let lookup = Lookup {
            resolver: "192.168.1.1:53".into(),
            answer: LookupAnswer::NotFound,
            duration_ms: 3,
        };
        AddressCheck {
            at: "2026-12-01T00:00:00Z".into(),
            name: "192-168-1-42.abc.odoo-iot.com".into(),
            box_ip: "192.168.1.42".into(),
            network: lookup.clone(),
            public: lookup,
            verdict,
        }
    }

    #[test]
    fn a_healthy_box_has_nothing_to_fix() {
        assert_eq!(repairs(&healthy()), []);
    }

    #[test]
    fn a_certificate_problem_is_an_error_with_the_action_that_fixes_it() {
        for (code, action) in [
            (
                ErrorCode::LoadNoCredential,
                RepairAction::OpenCredentialForm,
            ),
            (
                ErrorCode::LoadRequestNoResult,
                RepairAction::OpenCredentialForm,
            ),
            (ErrorCode::LoadRequestException, RepairAction::RenewNow),
            (ErrorCode::LoadRequestStatus(503), RepairAction::RenewNow),
            (ErrorCode::CheckCertReadException, RepairAction::RenewNow),
        ] {
            let mut status = healthy();
            status.certificate.state = CertificateState::Error;
            status.certificate.error = failing(code);
            let found = repairs(&status);
            assert_eq!(found, [Repair::Certificate(code)]);
            assert_eq!(found[0].severity(), Severity::Error);
            assert_eq!(found[0].action(), Some(action));
        }
    }

    #[test]
    fn not_connected_yet_is_a_notice() {
        let mut status = healthy();
        status.certificate.state = CertificateState::Error;
        status.certificate.error = failing(ErrorCode::CheckNoServer);
        let found = repairs(&status);
        assert_eq!(found[0].severity(), Severity::Notice);
        assert_eq!(found[0].action(), Some(RepairAction::OpenServerForm));
    }

    #[test]
    fn a_failing_renewal_of_a_working_certificate_is_a_warning_until_the_end_is_near() {
        let mut status = healthy();
        status.certificate.error = failing(ErrorCode::LoadRequestStatus(503));
        assert_eq!(
            repairs(&status),
            [Repair::RenewalFailing(ErrorCode::LoadRequestStatus(503))]
        );
        assert_eq!(repairs(&status)[0].severity(), Severity::Warning);
        status.certificate.expires_soon = true;
        let found = repairs(&status);
        assert_eq!(
            found,
            [
                Repair::ExpiresSoon {
                    not_after: "2026-12-31T00:00:00Z".into()
                },
                Repair::RenewalFailing(ErrorCode::LoadRequestStatus(503)),
            ]
        );
        assert_eq!(found[0].action(), Some(RepairAction::RenewNow));
    }

    #[test]
    fn every_problem_at_once_most_severe_first() {
        let mut status = healthy();
        status.access.password_set = false;
        status.certificate.renewal_deferred = true;
        status.certificate.next_attempt = Some("2026-12-20T00:00:00Z".into());
        status.settings_problem = Some("line 3: expected a value".into());
        status.clock_problem = Some(ClockProblem {
            box_time: "2020-01-01T00:00:00Z".into(),
            evidence: ClockEvidence::BeforeBuild {
                built: "2026-11-01".into(),
            },
        });
        status.diagnostics.address = Some(address_check(AddressVerdict::RouterBlocks));
        status.erp_update = Some(ErpUpdate {
            at: "2026-12-01T00:00:00Z".into(),
            not_after: "2026-12-31T00:00:00Z".into(),
            identifier: status.identifier.clone(),
            problem: Some("the Odoo server answered 404 Not Found".into()),
        });
        let kinds: Vec<_> = repairs(&status).iter().map(Repair::kind).collect();
        assert_eq!(
            kinds,
            [
                "clock",
                "settings_unreadable",
                "address",
                "erp_not_told",
                "renewal_deferred",
                "no_password"
            ]
        );
    }

    #[test]
    fn an_address_check_counts_only_while_it_is_about_the_present_address() {
        let mut status = healthy();
        status.diagnostics.address = Some(address_check(AddressVerdict::RouterBlocks));
        assert_eq!(
            repairs(&status),
            [Repair::Address(AddressVerdict::RouterBlocks)]
        );
        assert_eq!(repairs(&status)[0].action(), Some(RepairAction::RunChecks));
        status.certificate.https_address = Some("https://10-0-0-7.abc.odoo-iot.com".into());
        assert_eq!(repairs(&status), []);
        status.diagnostics.address = Some(address_check(AddressVerdict::ResolvesHere));
        assert_eq!(repairs(&status), []);
    }

    #[test]
    fn no_password_matters_only_on_a_network() {
        let mut status = healthy();
        status.access.password_set = false;
        assert_eq!(repairs(&status), [Repair::NoPassword]);
        status.ip_address = None;
        assert_eq!(repairs(&status), []);
    }
}
