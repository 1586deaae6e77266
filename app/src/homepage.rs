//! The homepage: the box name and cogs button, the certificate banner, the status rows, and
//! behind the cogs the advanced details with the forms that fix things.

use crate::advanced_details::{remembered, CogsButton};
use crate::banner::CertificateBanner;
use crate::credential::CredentialForm;
use crate::live_status::{use_live_status, LiveStatus};
use crate::log_level::LogLevelForm;
use crate::odoo_server::OdooServerForm;
use crate::status::{get_status, BoxStatus};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/?advanced` opens the advanced details for one view, without remembering it: links that
/// lead to a form (such as "Enter the credential") work without JavaScript and change nothing.
const ADVANCED: &str = "advanced";

#[component]
pub fn HomePage() -> impl IntoView {
    // Documented: opening or refreshing the homepage retries a failed certificate request.
    #[cfg(feature = "ssr")]
    crate::iot_box::from_context().page_visited();
    let first_status = Resource::new_blocking(|| (), |_| get_status());

    view! {
        <Suspense fallback=|| view! { <p class="loading">"Reading the box status…"</p> }>
            {move || Suspend::new(async move {
                match first_status.await {
                    Ok(status) => Either::Left(view! { <LiveHomepage initial=status /> }),
                    Err(error) => Either::Right(view! {
                        <p class="notice notice--error" role="alert">
                            "The box could not read its status: " {error.to_string()}
                        </p>
                    }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LiveHomepage(initial: BoxStatus) -> impl IntoView {
    // A plain string, not a signal: the title is read when the page's head is written, after
    // this component's reactive owner may be gone (reading a signal there panicked, now and
    // then, under load).
    let title = format!("{} · IoT Box", initial.name);
    let LiveStatus {
        status, reachable, ..
    } = use_live_status(initial);
    let query = use_query_map();
    let asked_in_link = move || query.read().get(ADVANCED).is_some();
    let advanced = RwSignal::new(remembered() || query.read_untracked().get(ADVANCED).is_some());
    // A link followed without reloading the page (JavaScript on) opens them too.
    Effect::watch(
        asked_in_link,
        move |asked, _, _| {
            if *asked {
                advanced.set(true);
            }
        },
        false,
    );
    let text = move |pick: fn(&BoxStatus) -> Option<String>, none: &'static str| {
        Signal::derive(move || status.with(pick).unwrap_or_else(|| none.to_string()))
    };
    let certificate = Signal::derive(move || status.read().certificate.clone());

    view! {
        <Title text=title />
        <header class="masthead">
            <h1 class="masthead__name">{move || status.read().name.clone()}</h1>
            <CogsButton shown=advanced />
        </header>
        <main class="page">
            <Show when=move || !reachable.get()>
                <p class="notice notice--error" role="alert" data-testid="unreachable">
                    "Box unreachable: the page cannot reach the IoT box. "
                    "It will update as soon as the box answers again."
                </p>
            </Show>
            {move || {
                status.read().settings_problem.clone().map(|problem| view! {
                    <p class="notice notice--warning" role="status" data-testid="settings-problem">
                        "The settings file could not be read; the box keeps its previous settings. "
                        {problem}
                    </p>
                })
            }}
            <CertificateBanner certificate advanced_href="/?advanced" />
            <dl class="status-rows">
                <StatusRow id="version" label="Version" value=text(|s| Some(s.version.clone()), "") />
                <StatusRow id="odoo-server" label="Odoo server"
                    value=text(|s| s.odoo_server.clone(), "Not connected") />
                <StatusRow id="https-certificate" label="HTTPS certificate"
                    value=text(|s| Some(s.certificate.summary()), "") />
                {move || {
                    status.read().certificate.https_address.clone().map(|address| view! {
                        <div class="status-row" data-testid="https-address">
                            <dt>"HTTPS address"</dt>
                            <dd><a href=address.clone()>{address.clone()}</a></dd>
                        </div>
                    })
                }}
            </dl>
            <div id="advanced-details" hidden=move || !advanced.get()>
                <Show when=move || advanced.get()>
                    <h2 class="section-title">"Advanced details"</h2>
                    <dl class="status-rows">
                        <StatusRow id="ip-address" label="IP address"
                            value=text(|s| s.ip_address.clone(), "No network") />
                        <StatusRow id="mac-address" label="MAC address"
                            value=text(|s| s.mac_address.clone(), "Unknown") />
                        <StatusRow id="certificate-subject" label="Certificate subject"
                            value=text(|s| s.certificate.subject.clone(), "None") />
                        <StatusRow id="certificate-validity" label="Valid from – until"
                            value=text(|s| Some(format!(
                                "{} – {}",
                                s.certificate.not_before.clone().unwrap_or_default(),
                                s.certificate.not_after.clone().unwrap_or_default()
                            )), "") />
                        <StatusRow id="certificate-attempts" label="Last and next request"
                            value=text(|s| Some(format!(
                                "{} / {}",
                                s.certificate.last_attempt.clone().unwrap_or_else(|| "none yet".into()),
                                s.certificate.next_attempt.clone().unwrap_or_else(|| "when needed".into())
                            )), "") />
                    </dl>
                    <OdooServerForm server=Signal::derive(move || status.read().odoo_server.clone()) />
                    <CredentialForm credential=Signal::derive(move || status.read().credential.clone()) />
                    <LogLevelForm status=Signal::derive(move || status.read().log_level.clone()) />
                </Show>
            </div>
        </main>
    }
}

#[component]
fn StatusRow(id: &'static str, label: &'static str, value: Signal<String>) -> impl IntoView {
    view! {
        <div class="status-row" data-testid=id>
            <dt>{label}</dt>
            <dd>{value}</dd>
        </div>
    }
}
