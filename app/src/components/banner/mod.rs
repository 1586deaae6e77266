//! The validity banner: the first thing on the page, saying in plain words whether the box
//! has a working HTTPS certificate, and when it has not, what the code means and how to fix
//! it. One file per state. A banner is rebuilt only when the state it shows changes, not at
//! every poll nor for a retry, so a "Details" someone opened stays open while the page
//! refreshes.

pub mod help;
mod problem;
mod valid;
mod waiting;

use crate::api::certificate::TryAgain;
use crate::model::access::AccessStatus;
use crate::model::certificate::{CertificateState, CertificateStatus};
use crate::model::diagnostics::route::RouteDiagnosis;
use crate::model::error_code::ErrorCode;
use leptos::prelude::*;
use problem::ProblemBanner;
use valid::ValidBanner;
use waiting::{PendingBanner, RequestingBanner};

/// Which banner the status calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shown {
    Valid,
    Problem(ErrorCode),
    Requesting,
    Pending { temporary: bool },
}

impl Shown {
    fn of(status: &CertificateStatus) -> Self {
        match (status.state, &status.error) {
            (CertificateState::Ok, _) => Self::Valid,
            // A retry of a problem keeps the problem on screen, "Details" open or closed as
            // the reader left it; the banner says a retry is under way.
            (CertificateState::Error | CertificateState::Requesting, Some(error)) => {
                Self::Problem(error.code)
            }
            (CertificateState::Requesting, _) => Self::Requesting,
            (CertificateState::Error, None) | (CertificateState::NeedsCertificate, _) => {
                Self::Pending {
                    temporary: status.temporary,
                }
            }
        }
    }
}

#[component]
pub fn CertificateBanner(
    certificate: Signal<CertificateStatus>,
    /// Whether this browser may act (not while an admin password is set and it is logged out).
    access: Signal<AccessStatus>,
    /// Opens the advanced details, where the forms are.
    advanced_href: &'static str,
    /// The way to the certificate server as last diagnosed, shown with a failure it may
    /// explain.
    route: Signal<Option<RouteDiagnosis>>,
) -> impl IntoView {
    let try_again = ServerAction::<TryAgain>::new();
    move || match Shown::of(&certificate.read()) {
        Shown::Valid => view! { <ValidBanner certificate /> }.into_any(),
        Shown::Problem(code) => {
            view! { <ProblemBanner code certificate access advanced_href try_again route /> }
                .into_any()
        }
        Shown::Requesting => view! { <RequestingBanner /> }.into_any(),
        Shown::Pending { temporary } => view! { <PendingBanner temporary /> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::error_code::CertificateError;

    fn status(state: CertificateState, error: Option<ErrorCode>) -> CertificateStatus {
        CertificateStatus {
            state,
            error: error.map(|code| CertificateError {
                code,
                detail: String::new(),
                reason: None,
            }),
            subject: None,
            not_before: None,
            not_after: None,
            renewal_starts: None,
            days_left: None,
            temporary: true,
            expires_soon: false,
            renewal_deferred: false,
            last_attempt: None,
            next_attempt: None,
            https_address: None,
        }
    }

    #[test]
    fn a_retry_of_a_problem_keeps_the_problem_on_screen() {
        let problem = ErrorCode::LoadRequestNoResult;
        let shown = |state, error| Shown::of(&status(state, error));
        assert_eq!(
            shown(CertificateState::Error, Some(problem)),
            Shown::Problem(problem)
        );
        assert_eq!(
            shown(CertificateState::Requesting, Some(problem)),
            Shown::Problem(problem)
        );
        assert_eq!(shown(CertificateState::Requesting, None), Shown::Requesting);
        assert_eq!(
            shown(CertificateState::Error, None),
            Shown::Pending { temporary: true }
        );
        assert_eq!(shown(CertificateState::Ok, Some(problem)), Shown::Valid);
    }
}
