//! Says so when the box's clock is wrong: TLS and every certificate date depend on it, so
//! until it is right nothing the banner says about the certificate server can be fixed.

use crate::dates::{written, Shown};
use crate::i18n::*;
use crate::model::clock::{ClockEvidence, ClockProblem};
use leptos::prelude::*;

#[component]
pub fn ClockNotice(
    problem: Signal<Option<ClockProblem>>,
    /// What the system says of its own clock.
    synchronised: Signal<Option<bool>>,
) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    move || {
        problem.get().map(|problem| {
            let evidence = match &problem.evidence {
                ClockEvidence::BeforeBuild { built } => td_string!(
                    locale,
                    clock.before_build,
                    built = written(built, Shown::Date, locale)
                )
                .to_string(),
                ClockEvidence::CertificateServer { server_time } => td_string!(
                    locale,
                    clock.server_says,
                    server_time = written(server_time, Shown::DateAndTime, locale)
                )
                .to_string(),
            };
            view! {
                <section class="notice notice--error" role="alert" data-testid="clock-problem">
                    <h2 class="notice__title">{td_string!(locale, clock.title)}</h2>
                    <p>
                        {td_string!(
                            locale,
                            clock.says,
                            box_time = written(&problem.box_time, Shown::DateAndTime, locale),
                            evidence
                        )
                        .to_string()}
                    </p>
                    <p>
                        {(synchronised.get() == Some(false))
                            .then_some(td_string!(locale, clock.not_synchronised))}
                        {td_string!(locale, clock.fix)}
                    </p>
                </section>
            }
        })
    }
}
