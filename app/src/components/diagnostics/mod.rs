//! The diagnostics on the page: whether the box's HTTPS address resolves (`address`), whether
//! this device opens it (`device`, in the browser), and the way to the certificate server
//! step by step (`route`), each with its verdict, its fix
//! and how long it took, and "Run diagnostics". The route shows in the problem banner when
//! it may explain the failure, and in the diagnostics section otherwise. Without JavaScript
//! the button posts the form, the box runs the checks (seconds at most), and the page comes
//! back with the results.

mod address;
pub(crate) mod address_help;
mod device;
#[cfg(feature = "hydrate")]
mod device_probe;
mod route;
mod route_help;
mod verdict;
mod way_in;

use crate::api::diagnostics::RunDiagnostics;
use crate::i18n::*;
use crate::model::access::AccessStatus;
use crate::model::diagnostics::address::AddressVerdict;
use crate::model::diagnostics::route::RouteDiagnosis;
use crate::model::diagnostics::DiagnosticsReport;
use address::AddressResult;
use device::DeviceCheck;
use leptos::prelude::*;
use route::RouteResult;
use way_in::{exception_domain, WayIn};

/// The route's result inside the problem banner.
#[component]
pub fn RoutePanel(route: Signal<Option<RouteDiagnosis>>) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    view! {
        <section class="diagnosis" data-testid="diagnosis" aria-live="polite">
            <h3 class="diagnosis__title">{td_string!(locale, diagnostics.title)}</h3>
            <RouteOrNothing route />
            <RunButton />
        </section>
    }
}

/// Every check, below the status rows.
#[component]
pub fn DiagnosticsSection(
    report: Signal<DiagnosticsReport>,
    https_address: Signal<Option<String>>,
    /// The homepage by IP address, the way in while the HTTPS address does not resolve.
    homepage_by_ip: Signal<Option<String>>,
    box_name: Signal<String>,
    /// Whether this browser may download the support report (it carries the log).
    access: Signal<AccessStatus>,
    /// The banner shows the route already.
    route_in_banner: Signal<bool>,
) -> impl IntoView {
    let address = Signal::derive(move || report.read().address.clone());
    let route = Signal::derive(move || report.read().route.clone());
    let locale = use_i18n().get_locale_untracked();
    let router_blocks = Signal::derive(move || {
        report.read().address.as_ref().is_some_and(|check| {
            matches!(
                check.verdict,
                AddressVerdict::RouterBlocks | AddressVerdict::NotFoundHere
            )
        })
    });
    view! {
        <section class="panel diagnostics" id="diagnostics" aria-labelledby="diagnostics-title" aria-live="polite">
            <h2 id="diagnostics-title">{td_string!(locale, diagnostics.title)}</h2>
            <p class="panel__hint">
                {td_string!(locale, diagnostics.intro)}
            </p>
            <h3 class="diagnosis__title">{td_string!(locale, diagnostics.address_title)}</h3>
            {move || match address.get() {
                Some(check) => view! { <AddressResult check /> }.into_any(),
                None => view! {
                    <p data-testid="address-none">
                        {move || if https_address.read().is_some() {
                            td_string!(locale, diagnostics.address_not_run)
                        } else {
                            td_string!(locale, diagnostics.no_address)
                        }}
                    </p>
                }.into_any(),
            }}
            {move || {
                // While the HTTPS address does not resolve here: the way in meanwhile.
                let unresolved = address.read().as_ref().is_some_and(|check| matches!(
                    check.verdict,
                    AddressVerdict::RouterBlocks | AddressVerdict::NotFoundHere | AddressVerdict::NotFound
                ));
                let domain = https_address.read().as_deref().and_then(exception_domain);
                domain.filter(|_| unresolved).map(|domain| view! {
                    <WayIn by_ip=homepage_by_ip.get() domain />
                })
            }}
            <h3 class="diagnosis__title">{td_string!(locale, diagnostics.device_title)}</h3>
            <DeviceCheck
                address=https_address.get()
                box_name=box_name.get()
                router_blocks=router_blocks.get()
                lang=leptos_i18n::Locale::as_str(locale).to_string()
            />
            <Show when=move || !route_in_banner.get()>
                <h3 class="diagnosis__title">{td_string!(locale, diagnostics.route_title)}</h3>
                <RouteOrNothing route />
            </Show>
            <div class="banner__actions">
                <RunButton />
                <Show
                    when=move || access.read().may_change()
                    fallback=move || view! {
                        <a class="button" href="/?advanced#log-in">{td_string!(locale, diagnostics.log_in_for_report)}</a>
                    }
                >
                    <a class="button" href="/api/support-report" download data-testid="support-report">
                        {td_string!(locale, diagnostics.support_report)}
                    </a>
                </Show>
            </div>
            <p class="panel__hint">
                {td_string!(locale, diagnostics.report_hint)}
            </p>
        </section>
    }
}

#[component]
fn RouteOrNothing(route: Signal<Option<RouteDiagnosis>>) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    move || match route.get() {
        Some(route) => view! { <RouteResult route /> }.into_any(),
        None => view! {
            <p data-testid="diagnosis-none">
                {td_string!(locale, diagnostics.route_not_run)}
            </p>
        }
        .into_any(),
    }
}

/// "Run diagnostics": the status is read again once it is done, so every result shows.
#[component]
fn RunButton() -> impl IntoView {
    let run = ServerAction::<RunDiagnostics>::new();
    let running = run.pending();
    let locale = use_i18n().get_locale_untracked();
    view! {
        <ActionForm action=run attr:class="form--inline">
            <button type="submit" class="button" disabled=running data-testid="run-diagnostics">
                {move || if running.get() {
                    td_string!(locale, diagnostics.running)
                } else {
                    td_string!(locale, diagnostics.run)
                }}
            </button>
        </ActionForm>
    }
}
