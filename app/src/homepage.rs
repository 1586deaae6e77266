//! The homepage: the box name and cogs button, the status rows, and the unreachable notice.

use crate::live_status::{use_live_status, LiveStatus};
use crate::status::{get_status, BoxStatus};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

/// The query parameter that opens the advanced details. A link rather than a script, so the
/// cogs button works without JavaScript.
const ADVANCED: &str = "advanced";

#[component]
pub fn HomePage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(iot_box) = use_context::<std::sync::Arc<crate::iot_box::IotBox>>() {
        iot_box.page_visited();
    }
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
    let LiveStatus { status, reachable } = use_live_status(initial);
    let query = use_query_map();
    let advanced = Memo::new(move |_| query.read().get(ADVANCED).is_some());
    let text = move |pick: fn(&BoxStatus) -> Option<String>, none: &'static str| {
        Signal::derive(move || status.with(pick).unwrap_or_else(|| none.to_string()))
    };

    view! {
        <Title text=move || format!("{} · IoT Box", status.read().name) />
        <header class="masthead">
            <h1 class="masthead__name">{move || status.read().name.clone()}</h1>
            <A
                href=move || if advanced.get() { "/".to_string() } else { format!("/?{ADVANCED}") }
                attr:class="cogs"
                attr:role="button"
                attr:aria-pressed=move || advanced.get().to_string()
                attr:title="Advanced details"
            >
                <span aria-hidden="true">"⚙"</span>
                <span class="visually-hidden">"Advanced details"</span>
            </A>
        </header>
        <main>
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
            <dl class="status-rows">
                <StatusRow id="version" label="Version" value=text(|s| Some(s.version.clone()), "") />
                <Show when=move || advanced.get()>
                    <StatusRow id="ip-address" label="IP address"
                        value=text(|s| s.ip_address.clone(), "No network") />
                    <StatusRow id="mac-address" label="MAC address"
                        value=text(|s| s.mac_address.clone(), "Unknown") />
                </Show>
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
