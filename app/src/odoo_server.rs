//! Connecting the box to an Odoo server, and disconnecting it (which, as on the reference
//! box, also forgets the credential: it belonged to that server's database).

use crate::form::{Field, FormError, FormMessage};
use crate::live_status::refresh_when;
use leptos::prelude::*;

pub const SERVER_URL_FIELD: &str = "server_url";

#[server(prefix = "/api", endpoint = "odoo-server/connect")]
pub async fn connect_odoo_server(server_url: String) -> Result<(), FormError> {
    let url = crate::settings::odoo_server_url(server_url.trim())
        .map_err(|message| FormError::field(SERVER_URL_FIELD, message))?;
    crate::iot_box::from_context()
        .connect_odoo_server(url)
        .map_err(|e| FormError::Refused(e.to_string()))
}

#[server(prefix = "/api", endpoint = "odoo-server/disconnect")]
pub async fn disconnect_odoo_server() -> Result<(), FormError> {
    crate::iot_box::from_context()
        .disconnect_odoo_server()
        .map_err(|e| FormError::Refused(e.to_string()))
}

#[component]
pub fn OdooServerForm(server: Signal<Option<String>>) -> impl IntoView {
    let connect = ServerAction::<ConnectOdooServer>::new();
    let disconnect = ServerAction::<DisconnectOdooServer>::new();
    refresh_when(connect.version());
    refresh_when(disconnect.version());
    let error = move || connect.value().get().and_then(Result::err);

    view! {
        <section class="panel" id="odoo-server" aria-labelledby="odoo-server-title">
            <h2 id="odoo-server-title">"Odoo server"</h2>
            <ActionForm action=connect attr:class="form" attr:novalidate=true>
                <FormMessage error=Signal::derive(error) saved=connect.version() />
                <Field
                    name=SERVER_URL_FIELD
                    label="Server address"
                    value=Signal::derive(move || server.get().unwrap_or_default())
                    error=Signal::derive(move || error().and_then(|e| e.for_field(SERVER_URL_FIELD)))
                    hint="For example https://mycompany.odoo.com"
                />
                <div class="form__buttons">
                    <button type="submit" class="button button--primary">"Connect"</button>
                </div>
            </ActionForm>
            <Show when=move || server.read().is_some()>
                <ActionForm action=disconnect attr:class="form form--inline">
                    <button type="submit" class="button button--danger">
                        "Disconnect (also clears the credential)"
                    </button>
                </ActionForm>
            </Show>
        </section>
    }
}
