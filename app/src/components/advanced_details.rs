//! The advanced details behind the cogs button: the box's network identity, the certificate's
//! times, the forms that fix things and the live log (behind a login while an admin password
//! is set).

use super::forms::admin_password::AdminPasswordForm;
use super::forms::credential::CredentialForm;
use super::forms::log_in::LogInForm;
use super::forms::log_level::LogLevelForm;
use super::forms::odoo_server::OdooServerForm;
use super::forms::settings_backup::SettingsBackupForm;
use super::log_view::LogView;
use super::status_rows::{row_text, StatusRow};
use crate::dates::{written, Shown};
use crate::i18n::*;
use crate::model::box_status::BoxStatus;
use crate::model::erp_update::{BoxIdentifier, IdentifierSource};
use leptos::prelude::*;

#[component]
pub fn AdvancedDetails(status: ReadSignal<BoxStatus>, shown: RwSignal<bool>) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    view! {
        <div id="advanced-details" hidden=move || !shown.get()>
            <Show when=move || shown.get()>
                <h2 class="section-title">{td_string!(locale, page.advanced_details)}</h2>
                <dl class="status-rows">
                    <StatusRow id="ip-address" label=td_string!(locale, rows.ip_address)
                        value=row_text(status, move |s: &BoxStatus| s.ip_address.clone(), td_string!(locale, rows.no_network)) />
                    <StatusRow id="mac-address" label=td_string!(locale, rows.mac_address)
                        value=row_text(status, move |s: &BoxStatus| s.mac_address.clone(), td_string!(locale, rows.unknown)) />
                    <StatusRow id="identifier" label=td_string!(locale, rows.identifier)
                        value=row_text(status, move |s: &BoxStatus| Some(identifier(&s.identifier, locale)), "") />
                    <StatusRow id="certificate-subject" label=td_string!(locale, rows.certificate_subject)
                        value=row_text(status, move |s: &BoxStatus| s.certificate.subject.clone(), td_string!(locale, rows.none)) />
                    <StatusRow id="certificate-validity" label=td_string!(locale, rows.validity)
                        value=row_text(status, move |s: &BoxStatus| Some(format!(
                            "{} – {}",
                            at(&s.certificate.not_before, locale),
                            at(&s.certificate.not_after, locale)
                        )), "") />
                    <StatusRow id="clock" label=td_string!(locale, rows.clock)
                        value=row_text(status, move |s| s.clock_synchronised.map(|synchronised| {
                            if synchronised {
                                td_string!(locale, rows.clock_synchronised).to_string()
                            } else {
                                td_string!(locale, rows.clock_not_synchronised).to_string()
                            }
                        }), td_string!(locale, rows.unknown)) />
                    <StatusRow id="certificate-attempts" label=td_string!(locale, rows.attempts)
                        value=row_text(status, move |s: &BoxStatus| Some(format!(
                            "{} / {}",
                            s.certificate.last_attempt.as_ref().map_or_else(|| td_string!(locale, rows.no_attempt_yet).into(), |t| written(t, Shown::DateAndTime, locale)),
                            s.certificate.next_attempt.as_ref().map_or_else(|| td_string!(locale, rows.when_needed).into(), |t| written(t, Shown::DateAndTime, locale))
                        )), "") />
                    <StatusRow id="erp-update" label=td_string!(locale, rows.erp_update)
                        value=row_text(status, move |s: &BoxStatus| Some(match &s.erp_update {
                            None => td_string!(locale, rows.erp_update_not_yet).to_string(),
                            Some(update) => match &update.problem {
                                None => {
                                    let date = written(&update.at, Shown::DateAndTime, locale);
                                    td_string!(locale, rows.erp_update_told, date).to_string()
                                }
                                Some(problem) => td_string!(locale, rows.erp_update_failed, problem).to_string(),
                            },
                        }), "") />
                </dl>
                <Show
                    when=move || status.read().access.may_change()
                    fallback=|| view! { <LogInForm /> }
                >
                    <OdooServerForm server=Signal::derive(move || status.read().odoo_server.clone()) />
                    <CredentialForm credential=Signal::derive(move || status.read().credential.clone()) />
                    <LogLevelForm status=Signal::derive(move || status.read().log_level.clone()) />
                    <LogView />
                    <AdminPasswordForm access=Signal::derive(move || status.read().access) />
                    <SettingsBackupForm />
                </Show>
            </Show>
        </div>
    }
}

/// The name the box gives itself to Odoo, and what it is.
fn identifier(identifier: &BoxIdentifier, locale: Locale) -> String {
    let value = &identifier.value;
    match identifier.source {
        IdentifierSource::SerialNumber => td_string!(locale, rows.identifier_serial_number, value),
        IdentifierSource::MacAddress => td_string!(locale, rows.identifier_mac_address, value),
        IdentifierSource::HostName => td_string!(locale, rows.identifier_host_name, value),
    }
    .to_string()
}

/// A certificate time, or nothing.
fn at(time: &Option<String>, locale: Locale) -> String {
    time.as_deref()
        .map(|time| written(time, Shown::DateAndTime, locale))
        .unwrap_or_default()
}
