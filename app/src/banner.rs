//! The validity banner: the first thing on the page, saying in plain words whether the box
//! has a working HTTPS certificate, and when it has not, what the code means and how to fix it.

use crate::certificate::help::{help, HelpAction};
use crate::certificate::retry::TryAgain;
use crate::certificate::{date_part, CertificateState, CertificateStatus, ErrorCode};
use crate::live_status::refresh_when;
use leptos::prelude::*;

#[component]
pub fn CertificateBanner(
    certificate: Signal<CertificateStatus>,
    /// Opens the advanced details, where the forms are.
    advanced_href: &'static str,
) -> impl IntoView {
    let try_again = ServerAction::<TryAgain>::new();
    refresh_when(try_again.version());
    move || {
        let status = certificate.get();
        let date = |time: &Option<String>| {
            time.as_deref()
                .map(date_part)
                .unwrap_or_default()
                .to_string()
        };
        match (status.state, status.error.clone()) {
            (CertificateState::Ok, renewal_failure) => view! {
                <section class="banner banner--ok" data-testid="banner" aria-live="polite">
                    <h2 class="banner__title">"HTTPS certificate valid until " {date(&status.not_after)}</h2>
                    <p>
                        {status.subject.clone()} " · "
                        {status.days_left.map(|d| format!("{d} days left"))} " · "
                        "renewal starts on " {date(&status.renewal_starts)}
                    </p>
                    {status.https_address.clone().map(|address| view! {
                        <p>"Secure address: " <a href=address.clone() data-testid="https-link">{address.clone()}</a></p>
                        <p class="banner__hint">
                            "If this address does not open while the IP address does, the router's \
                             DNS blocks it: set a public DNS resolver (such as Google DNS) on the \
                             router, or on each device that uses the box."
                        </p>
                    })}
                    {renewal_failure.map(|error| view! {
                        <p class="banner__warning">
                            "The last renewal attempt failed (" <code>{error.code.to_string()}</code>
                            "); the box tries again by itself."
                        </p>
                    })}
                </section>
            }.into_any(),
            (CertificateState::Error, Some(error)) => {
                let help = help(error.code);
                let calm = error.code == ErrorCode::CheckNoServer;
                view! {
                    <section
                        class="banner"
                        class:banner--error=!calm
                        class:banner--info=calm
                        data-testid="banner"
                        role=if calm { "status" } else { "alert" }
                    >
                        <h2 class="banner__title">{help.title}</h2>
                        <p class="banner__code"><code data-testid="error-code">{error.code.to_string()}</code></p>
                        <p>{help.explanation}</p>
                        <ol class="banner__steps">
                            {help.steps.iter().map(|step| view! { <li>{*step}</li> }).collect_view()}
                        </ol>
                        <details class="banner__detail">
                            <summary>"Details"</summary>
                            <p data-testid="error-detail">{error.detail.clone()}</p>
                        </details>
                        <div class="banner__actions">
                            {match help.action {
                                HelpAction::ConnectServer => Some(view! {
                                    <a class="button button--primary" href=format!("{advanced_href}#odoo-server")>"Connect to a server"</a>
                                }.into_any()),
                                HelpAction::EnterCredential => Some(view! {
                                    <a class="button button--primary" href=format!("{advanced_href}#credential")>"Enter the credential"</a>
                                }.into_any()),
                                HelpAction::DownloadLogs => Some(view! {
                                    <a class="button button--primary" href="/api/logs" download>"Download logs"</a>
                                }.into_any()),
                                HelpAction::None => None,
                            }}
                            {(!calm).then(|| view! {
                                <ActionForm action=try_again attr:class="form--inline">
                                    <button type="submit" class="button">"Try again"</button>
                                </ActionForm>
                            })}
                        </div>
                    </section>
                }.into_any()
            }
            (CertificateState::Requesting, _) => view! {
                <section class="banner banner--info" data-testid="banner" role="status">
                    <h2 class="banner__title">"Requesting a certificate…"</h2>
                    <p>"The box is asking the certificate server for its HTTPS certificate."</p>
                </section>
            }.into_any(),
            _ => view! {
                <section class="banner banner--info" data-testid="banner" role="status">
                    <h2 class="banner__title">
                        {if status.temporary { "Temporary certificate" } else { "Certificate renewal due" }}
                    </h2>
                    <p>"The box will ask the certificate server for a certificate in a moment."</p>
                </section>
            }.into_any(),
        }
    }
}
