//! The banner of a certificate problem: its documented code, what it means, the steps that
//! fix it, the detail behind "Details", a button to the form or action that fixes it, and
//! "Try again"; with a failure on the way to the certificate server, the diagnostics. No server configured is said calmly, as information, not as an alarm.

use super::help::{help, HelpAction};
use crate::api::certificate::TryAgain;
use crate::components::diagnostics::RoutePanel;
use crate::i18n::*;
use crate::model::access::AccessStatus;
use crate::model::certificate::{CertificateState, CertificateStatus};
use crate::model::diagnostics::explains;
use crate::model::diagnostics::route::RouteDiagnosis;
use crate::model::error_code::ErrorCode;
use leptos::prelude::*;

#[component]
pub fn ProblemBanner(
    code: ErrorCode,
    certificate: Signal<CertificateStatus>,
    access: Signal<AccessStatus>,
    advanced_href: &'static str,
    try_again: ServerAction<TryAgain>,
    route: Signal<Option<RouteDiagnosis>>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The language is chosen when the page is rendered; a change reloads the page.
    let help = help(code, i18n.get_locale_untracked());
    let calm = code == ErrorCode::CheckNoServer;
    // The detail may change while the code stays (another refusal reason): only its text
    // follows, so an open "Details" stays open.
    let detail = move || {
        certificate
            .read()
            .error
            .as_ref()
            .map(|error| error.detail.clone())
            .unwrap_or_default()
    };
    // The server's own words, when it refused in words: read before the checklist they
    // point into.
    let reason = Memo::new(move |_| {
        certificate
            .read()
            .error
            .as_ref()
            .and_then(|error| error.reason.clone())
    });
    let retrying = move || certificate.read().state == CertificateState::Requesting;
    let action = match help.action {
        HelpAction::ConnectServer => Some(view! {
            <a class="button button--primary" href=format!("{advanced_href}#odoo-server")>{t!(i18n, banner.connect_server)}</a>
        }.into_any()),
        HelpAction::EnterCredential => Some(view! {
            <a class="button button--primary" href=format!("{advanced_href}#credential")>{t!(i18n, banner.enter_credential)}</a>
        }.into_any()),
        HelpAction::DownloadLogs => Some(view! {
            <Show
                when=move || access.read().may_change()
                fallback=move || view! {
                    <a class="button button--primary" href=format!("{advanced_href}#log-in")>{t!(i18n, banner.log_in_to_download_logs)}</a>
                }
            >
                <a class="button button--primary" href="/api/logs" download>{t!(i18n, banner.download_logs)}</a>
            </Show>
        }.into_any()),
        HelpAction::None => None,
    };
    view! {
        <section
            class="banner"
            class:banner--error=!calm
            class:banner--info=calm
            data-testid="banner"
            role=if calm { "status" } else { "alert" }
        >
            <h2 class="banner__title">{help.title}</h2>
            <p class="banner__code"><code data-testid="error-code">{code.to_string()}</code></p>
            <p>{help.explanation}</p>
            {move || reason.get().map(|reason| view! {
                <figure class="banner__reason">
                    <figcaption>{t!(i18n, banner.server_said)}</figcaption>
                    <blockquote data-testid="server-reason">{reason}</blockquote>
                </figure>
            })}
            <Show when=retrying>
                <p class="banner__retrying" data-testid="retrying">{t!(i18n, banner.retrying)}</p>
            </Show>
            <ol class="banner__steps">
                {help.steps.into_iter().map(|step| view! { <li>{step}</li> }).collect_view()}
            </ol>
            <details class="banner__detail">
                <summary>{t!(i18n, banner.details)}</summary>
                <p data-testid="error-detail">{detail}</p>
            </details>
            {explains(code).then(|| view! { <RoutePanel route /> })}
            <div class="banner__actions">
                {action}
                {(!calm).then(|| view! {
                    // Asking the certificate server is a change: behind the login too.
                    <Show when=move || access.read().may_change()>
                        <ActionForm action=try_again attr:class="form--inline">
                            <button type="submit" class="button">{t!(i18n, banner.try_again)}</button>
                        </ActionForm>
                    </Show>
                })}
            </div>
        </section>
    }
}
