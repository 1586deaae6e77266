//! The homepage: the box name and cogs button, the certificate banner, the status rows, and
//! behind the cogs the advanced details.

use super::advanced_details::AdvancedDetails;
use super::banner::CertificateBanner;
use super::clock_notice::ClockNotice;
use super::cogs_button::CogsButton;
use super::diagnostics::DiagnosticsSection;
use super::language_switch::LanguageSwitch;
use super::live_page::LivePage;
use super::repairs::RepairList;
use super::status_rows::StatusRows;
use crate::api::advanced_details::remembered;
use crate::api::status::get_status;
use crate::api::status_events::status_tag;
use crate::dates::TimesWritten;
use crate::i18n::*;
use crate::model::box_status::BoxStatus;
use crate::model::diagnostics::explains;
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
    crate::api::the_box().page_visited();
    let locale = use_i18n().get_locale_untracked();

    view! {
        <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, page.reading_status)}</p> }>
            // Read once, not a resource: nothing is sent along for a browser to hydrate.
            {Suspend::new(async move {
                match get_status().await {
                    Ok(status) => Either::Left(view! { <LiveHomepage initial=status /> }),
                    Err(error) => Either::Right(view! {
                        <p class="notice notice--error" role="alert">
                            {td_string!(locale, page.status_unreadable, error = error.to_string())}
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
    // The page may connect to the box by this name only (its Content-Security-Policy).
    #[cfg(feature = "ssr")]
    if let Some(address) = &initial.certificate.https_address {
        crate::content_security_policy::allow_connections_to(address);
    }
    let tag = status_tag(&leptos::serde_json::to_vec(&initial).unwrap_or_default());
    // Rendered once, here: the browser reads the page again when the status changes.
    let (status, _) = signal(initial);
    let query = use_query_map();
    let advanced = RwSignal::new(remembered() || query.read_untracked().get(ADVANCED).is_some());
    let certificate = Signal::derive(move || status.read().certificate.clone());
    let locale = use_i18n().get_locale_untracked();

    view! {
        <Title text=title />
        <header class="masthead">
            <h1 class="masthead__name">{move || status.read().name.clone()}</h1>
            <div class="masthead__controls">
                <LanguageSwitch />
                <CogsButton shown=advanced />
            </div>
        </header>
        // The tag tells the browser (`LivePage`) whether a status it hears is news.
        <main class="page" data-status-tag=tag>
            <LivePage unreachable=td_string!(locale, page.unreachable).to_string() />
            {move || {
                status.read().settings_problem.clone().map(|problem| view! {
                    <p class="notice notice--warning" role="status" data-testid="settings-problem">
                        {td_string!(locale, page.settings_problem, problem)}
                    </p>
                })
            }}
            <ClockNotice
                problem=Signal::derive(move || status.read().clock_problem.clone())
                synchronised=Signal::derive(move || status.read().clock_synchronised)
            />
            <CertificateBanner
                certificate
                access=Signal::derive(move || status.read().access)
                advanced_href="/?advanced"
                route=Signal::derive(move || status.read().diagnostics.route.clone())
            />
            <RepairList status advanced_href="/?advanced" />
            <StatusRows status />
            <DiagnosticsSection
                report=Signal::derive(move || status.read().diagnostics.clone())
                https_address=Signal::derive(move || status.read().certificate.https_address.clone())
                homepage_by_ip=Signal::derive(move || status.read().homepage_by_ip.clone())
                box_name=Signal::derive(move || status.read().name.clone())
                access=Signal::derive(move || status.read().access)
                route_in_banner=Signal::derive(move || {
                    status.read().certificate.error.as_ref().is_some_and(|error| explains(error.code))
                })
            />
            <AdvancedDetails status shown=advanced />
        </main>
        <TimesWritten />
    }
}
