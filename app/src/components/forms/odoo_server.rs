//! The Odoo server form: connect by address, or disconnect (which, as on the reference box,
//! also forgets the credential: it belonged to that server's database).

use super::field::Field;
use super::form_message::FormMessage;
use crate::api::odoo_server::{ConnectOdooServer, DisconnectOdooServer};
use crate::i18n::*;
use crate::model::odoo_server::SERVER_URL_FIELD;
use leptos::prelude::*;

#[component]
pub fn OdooServerForm(server: Signal<Option<String>>) -> impl IntoView {
    let connect = ServerAction::<ConnectOdooServer>::new();
    let disconnect = ServerAction::<DisconnectOdooServer>::new();
    let error = move || connect.value().get().and_then(Result::err);
    let locale = use_i18n().get_locale_untracked();

    view! {
        <section class="panel" id="odoo-server" aria-labelledby="odoo-server-title">
            <h2 id="odoo-server-title">{td_string!(locale, forms.odoo_server.title)}</h2>
            <ActionForm action=connect attr:class="form" attr:data-form="odoo-server" attr:novalidate=true>
                <FormMessage error=Signal::derive(error) form="odoo-server" />
                <Field
                    name=SERVER_URL_FIELD
                    label=td_string!(locale, forms.odoo_server.address)
                    value=Signal::derive(move || server.get().unwrap_or_default())
                    error=Signal::derive(move || error().and_then(|e| e.for_field(SERVER_URL_FIELD)))
                    hint=td_string!(locale, forms.odoo_server.hint).to_string()
                />
                <div class="form__buttons">
                    <button type="submit" class="button button--primary">{td_string!(locale, forms.odoo_server.connect)}</button>
                </div>
            </ActionForm>
            <Show when=move || server.read().is_some()>
                <ActionForm action=disconnect attr:class="form form--inline">
                    <button type="submit" class="button button--danger">
                        {td_string!(locale, forms.odoo_server.disconnect)}
                    </button>
                </ActionForm>
            </Show>
        </section>
    }
}
