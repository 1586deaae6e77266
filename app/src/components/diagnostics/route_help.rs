//! What each verdict of the way to the certificate server means and how to fix it, in the
//! words of the user documentation where it names the cause (firewalls, VPNs, no Internet
//! access, the server down for maintenance). The texts are under `diagnostics.route`.

use super::verdict::VerdictHelp;
use crate::i18n::*;
use crate::model::diagnostics::route::RouteVerdict;

pub fn route_help(verdict: &RouteVerdict, locale: Locale) -> VerdictHelp {
    let administrator = td_string!(locale, diagnostics.administrator);
    let (title, explanation, steps): (String, String, Vec<&'static str>) = match verdict {
        RouteVerdict::Fine => (
            td_string!(locale, diagnostics.route.fine.title).into(),
            td_string!(locale, diagnostics.route.fine.explanation).into(),
            vec![],
        ),
        RouteVerdict::NoDns => (
            td_string!(locale, diagnostics.route.no_dns.title).into(),
            td_string!(locale, diagnostics.route.no_dns.explanation).into(),
            vec![
                td_string!(locale, diagnostics.route.no_dns.step_1),
                td_string!(locale, diagnostics.route.no_dns.step_2),
                administrator,
            ],
        ),
        RouteVerdict::Blocked => (
            td_string!(locale, diagnostics.route.blocked.title).into(),
            td_string!(locale, diagnostics.route.blocked.explanation).into(),
            vec![
                td_string!(locale, diagnostics.route.blocked.step_1),
                administrator,
            ],
        ),
        RouteVerdict::Cut => (
            td_string!(locale, diagnostics.route.cut.title).into(),
            td_string!(locale, diagnostics.route.cut.explanation).into(),
            vec![
                td_string!(locale, diagnostics.route.cut.step_1),
                administrator,
            ],
        ),
        RouteVerdict::Intercepted { issuer } => (
            td_string!(locale, diagnostics.route.intercepted.title).into(),
            td_string!(locale, diagnostics.route.intercepted.explanation, issuer).to_string(),
            vec![
                td_string!(locale, diagnostics.route.intercepted.step_1),
                administrator,
            ],
        ),
        RouteVerdict::CertificateDates => (
            td_string!(locale, diagnostics.route.certificate_dates.title).into(),
            td_string!(locale, diagnostics.route.certificate_dates.explanation).into(),
            vec![td_string!(
                locale,
                diagnostics.route.certificate_dates.step_1
            )],
        ),
        RouteVerdict::TlsFailed => (
            td_string!(locale, diagnostics.route.tls_failed.title).into(),
            td_string!(locale, diagnostics.route.tls_failed.explanation).into(),
            vec![td_string!(locale, diagnostics.route.tls_failed.step_1)],
        ),
        RouteVerdict::Silent => (
            td_string!(locale, diagnostics.route.silent.title).into(),
            td_string!(locale, diagnostics.route.silent.explanation).into(),
            vec![
                td_string!(locale, diagnostics.route.silent.step_1),
                td_string!(locale, diagnostics.route.silent.step_2),
            ],
        ),
        RouteVerdict::ServerError { status } => (
            td_string!(locale, diagnostics.route.server_error.title, status).to_string(),
            td_string!(locale, diagnostics.route.server_error.explanation).into(),
            vec![
                td_string!(locale, diagnostics.route.server_error.step_1),
                td_string!(locale, diagnostics.route.server_error.step_2),
            ],
        ),
    };
    VerdictHelp {
        title,
        explanation,
        steps,
    }
}
