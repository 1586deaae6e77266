//! The advanced details behind the cogs button: the box's network identity, the certificate's
//! times, the forms that fix things and the live log (behind a login while an admin password
//! is set).

use super::forms::admin_password::AdminPasswordForm;
use super::forms::credential::CredentialForm;
use super::forms::log_in::LogInForm;
use super::forms::log_level::LogLevelForm;
use super::forms::odoo_server::OdooServerForm;
use super::log_view::LogView;
use super::status_rows::{row_text, StatusRow};
use crate::model::box_status::BoxStatus;
use leptos::prelude::*;

#[component]
pub fn AdvancedDetails(status: ReadSignal<BoxStatus>, shown: RwSignal<bool>) -> impl IntoView {
    view! {
        <div id="advanced-details" hidden=move || !shown.get()>
            <Show when=move || shown.get()>
                <h2 class="section-title">"Advanced details"</h2>
                <dl class="status-rows">
                    <StatusRow id="ip-address" label="IP address"
                        value=row_text(status, |s| s.ip_address.clone(), "No network") />
                    <StatusRow id="mac-address" label="MAC address"
                        value=row_text(status, |s| s.mac_address.clone(), "Unknown") />
                    <StatusRow id="certificate-subject" label="Certificate subject"
                        value=row_text(status, |s| s.certificate.subject.clone(), "None") />
                    <StatusRow id="certificate-validity" label="Valid from – until"
                        value=row_text(status, |s| Some(format!(
                            "{} – {}",
                            s.certificate.not_before.clone().unwrap_or_default(),
                            s.certificate.not_after.clone().unwrap_or_default()
                        )), "") />
                    <StatusRow id="clock" label="Clock"
                        value=row_text(status, |s| s.clock_synchronised.map(|synchronised| {
                            if synchronised {
                                "Synchronised with a time server".to_string()
                            } else {
                                "Not synchronised: the box has not reached a time server (NTP)".to_string()
                            }
                        }), "Unknown") />
                    <StatusRow id="certificate-attempts" label="Last and next request"
                        value=row_text(status, |s| Some(format!(
                            "{} / {}",
                            s.certificate.last_attempt.clone().unwrap_or_else(|| "none yet".into()),
                            s.certificate.next_attempt.clone().unwrap_or_else(|| "when needed".into())
                        )), "") />
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
                </Show>
            </Show>
        </div>
    }
}
