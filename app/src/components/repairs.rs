//! "What to fix": every current problem of the box at once (`model::repairs`), each with its
//! severity, its fix in plain words and, where one exists, the one click that fixes it. The
//! actions are forms and links, so they work without JavaScript; a change asks for a login
//! while an admin password is set, as everywhere else.

use super::banner::help::help;
use super::diagnostics::address_help::address_help;
use crate::api::certificate::TryAgain;
use crate::api::diagnostics::RunDiagnostics;
use crate::dates::{written, Shown};
use crate::i18n::*;
use crate::model::access::AccessStatus;
use crate::model::box_status::BoxStatus;
use crate::model::repairs::{repairs, Repair, RepairAction, Severity};
use leptos::prelude::*;

#[component]
pub fn RepairList(
    status: ReadSignal<BoxStatus>,
    /// Opens the advanced details, where the forms are.
    advanced_href: &'static str,
) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    // Rebuilt only when the list itself changes, not at every status.
    let found = Memo::new(move |_| repairs(&status.read()));
    let access = Memo::new(move |_| status.read().access);
    let renew = ServerAction::<TryAgain>::new();
    let run_checks = ServerAction::<RunDiagnostics>::new();
    view! {
        <Show when=move || !found.read().is_empty()>
            <section class="panel repairs" id="repairs" aria-labelledby="repairs-title" data-testid="repairs">
                <h2 id="repairs-title">{td_string!(locale, repairs.title)}</h2>
                <ul class="repairs__list">
                    <For
                        each=move || found.get()
                        key=|repair| format!("{repair:?}")
                        children=move |repair| {
                            let severity = repair.severity();
                            let (title, fix) = words(&repair, locale);
                            let action = repair.action().map(|action| {
                                view! { <Action action access advanced_href renew run_checks /> }
                            });
                            view! {
                                <li
                                    class="repair"
                                    class:repair--error=severity == Severity::Error
                                    class:repair--warning=severity == Severity::Warning
                                    class:repair--notice=severity == Severity::Notice
                                    data-testid="repair"
                                    data-repair=repair.kind()
                                >
                                    <p class="repair__title">
                                        <span class="repair__severity">{severity_word(severity, locale)}</span>
                                        " "
                                        <strong>{title}</strong>
                                    </p>
                                    <p>{fix}</p>
                                    {action}
                                </li>
                            }
                        }
                    />
                </ul>
            </section>
        </Show>
    }
}

/// The one click, or the way to the login that allows it.
#[component]
fn Action(
    action: RepairAction,
    access: Memo<AccessStatus>,
    advanced_href: &'static str,
    renew: ServerAction<TryAgain>,
    run_checks: ServerAction<RunDiagnostics>,
) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let link = move |anchor: &'static str, label: &'static str| {
        view! { <a class="button" href=format!("{advanced_href}#{anchor}")>{label}</a> }.into_any()
    };
    let allowed = move || {
        match action {
        RepairAction::RenewNow => view! {
            <ActionForm action=renew attr:class="form--inline">
                <button type="submit" class="button" disabled=renew.pending()>{td_string!(locale, repairs.action.renew)}</button>
            </ActionForm>
        }
        .into_any(),
        RepairAction::RunChecks => view! {
            <ActionForm action=run_checks attr:class="form--inline">
                <button type="submit" class="button" disabled=run_checks.pending()>{td_string!(locale, repairs.action.run_checks)}</button>
            </ActionForm>
        }
        .into_any(),
        RepairAction::OpenServerForm => link("odoo-server", td_string!(locale, repairs.action.open_server)),
        RepairAction::OpenCredentialForm => link("credential", td_string!(locale, repairs.action.open_credential)),
        RepairAction::OpenPasswordForm => link("admin-password", td_string!(locale, repairs.action.open_password)),
    }
    };
    // Running the checks changes nothing: open to anyone, as the diagnostics' own button.
    let needs_login = action != RepairAction::RunChecks;
    view! {
        <div class="repair__action">
            {move || if needs_login && !access.get().may_change() {
                link("log-in", td_string!(locale, repairs.action.log_in))
            } else {
                allowed()
            }}
        </div>
    }
}

fn severity_word(severity: Severity, locale: Locale) -> &'static str {
    match severity {
        Severity::Error => td_string!(locale, repairs.severity.error),
        Severity::Warning => td_string!(locale, repairs.severity.warning),
        Severity::Notice => td_string!(locale, repairs.severity.notice),
    }
}

/// What the problem is, and its fix, in plain words.
fn words(repair: &Repair, locale: Locale) -> (String, String) {
    let first_step = |steps: &[&'static str], otherwise: &str| {
        steps
            .first()
            .map_or_else(|| otherwise.to_string(), |step| step.to_string())
    };
    match repair {
        Repair::Certificate(code) => {
            let help = help(*code, locale);
            (help.title.into(), first_step(&help.steps, help.explanation))
        }
        Repair::RenewalFailing(code) => {
            let help = help(*code, locale);
            (
                td_string!(locale, repairs.renewal_failing, code = code.to_string()).to_string(),
                first_step(&help.steps, help.explanation),
            )
        }
        Repair::ExpiresSoon { not_after } => (
            td_string!(
                locale,
                repairs.expires_soon.title,
                date = written(not_after, Shown::Date, locale)
            )
            .to_string(),
            td_string!(locale, repairs.expires_soon.fix).into(),
        ),
        Repair::RenewalDeferred { from } => (
            td_string!(locale, repairs.renewal_deferred.title).into(),
            td_string!(
                locale,
                repairs.renewal_deferred.fix,
                date = written(from, Shown::DateAndTime, locale)
            )
            .to_string(),
        ),
        Repair::SettingsUnreadable => (
            td_string!(locale, repairs.settings.title).into(),
            td_string!(locale, repairs.settings.fix).into(),
        ),
        Repair::Clock => (
            td_string!(locale, clock.title).into(),
            td_string!(locale, clock.fix).into(),
        ),
        Repair::Address(verdict) => {
            let help = address_help(verdict, locale);
            let fix = first_step(&help.steps, &help.explanation);
            (help.title, fix)
        }
        Repair::ErpNotTold { problem } => {
            // The box's own sentence, which starts in lower case: it opens this one.
            let mut letters = problem.chars();
            let problem: String = letters
                .next()
                .map(|first| first.to_uppercase().chain(letters).collect())
                .unwrap_or_default();
            (
                td_string!(locale, repairs.erp.title).into(),
                td_string!(locale, repairs.erp.fix, problem).to_string(),
            )
        }
        Repair::NoPassword => (
            td_string!(locale, repairs.no_password.title).into(),
            td_string!(locale, repairs.no_password.fix).into(),
        ),
    }
}
