//! Says so when the box's clock is wrong: TLS and every certificate date depend on it, so
//! until it is right nothing the banner says about the certificate server can be fixed.

use crate::model::certificate::{date_and_time, date_part};
use crate::model::clock::{ClockEvidence, ClockProblem};
use leptos::prelude::*;

#[component]
pub fn ClockNotice(
    problem: Signal<Option<ClockProblem>>,
    /// What the system says of its own clock.
    synchronised: Signal<Option<bool>>,
) -> impl IntoView {
    move || {
        problem.get().map(|problem| {
            let evidence = match &problem.evidence {
                ClockEvidence::BeforeBuild { built } => {
                    format!("before this software was built ({})", date_part(built))
                }
                ClockEvidence::CertificateServer { server_time } => format!(
                    "while the certificate server says {}",
                    date_and_time(server_time)
                ),
            };
            view! {
                <section class="notice notice--error" role="alert" data-testid="clock-problem">
                    <h2 class="notice__title">"The box's clock is wrong"</h2>
                    <p>
                        "It says " {date_and_time(&problem.box_time)} ", " {evidence} ". "
                        "Until it is right, the box cannot check the certificate server's \
                         certificate (TLS fails) nor use a new certificate."
                    </p>
                    <p>
                        {(synchronised.get() == Some(false))
                            .then_some("The system also says its clock is not synchronised. ")}
                        "Check that the box reaches a time server (NTP) on the Internet: a \
                         firewall may block it. The box sets its clock by itself once it can."
                    </p>
                </section>
            }
        })
    }
}
