//! The rows under the banner: version, Odoo server, certificate state, HTTPS address.

use crate::model::box_status::BoxStatus;
use leptos::prelude::*;

#[component]
pub fn StatusRows(status: ReadSignal<BoxStatus>) -> impl IntoView {
    view! {
        <dl class="status-rows">
            <StatusRow id="version" label="Version" value=row_text(status, |s| Some(s.version.clone()), "") />
            <StatusRow id="odoo-server" label="Odoo server"
                value=row_text(status, |s| s.odoo_server.clone(), "Not connected") />
            <StatusRow id="https-certificate" label="HTTPS certificate"
                value=row_text(status, |s| Some(s.certificate.summary()), "") />
            {move || {
                status.read().certificate.https_address.clone().map(|address| view! {
                    <div class="status-row" data-testid="https-address">
                        <dt>"HTTPS address"</dt>
                        <dd><a href=address.clone()>{address.clone()}</a></dd>
                    </div>
                })
            }}
        </dl>
    }
}

/// One labelled value; `id` names it for tests.
#[component]
pub fn StatusRow(id: &'static str, label: &'static str, value: Signal<String>) -> impl IntoView {
    view! {
        <div class="status-row" data-testid=id>
            <dt>{label}</dt>
            <dd>{value}</dd>
        </div>
    }
}

/// A row's text: what `pick` finds in the status, or `none`.
pub fn row_text(
    status: ReadSignal<BoxStatus>,
    pick: fn(&BoxStatus) -> Option<String>,
    none: &'static str,
) -> Signal<String> {
    Signal::derive(move || status.with(pick).unwrap_or_else(|| none.to_string()))
}
