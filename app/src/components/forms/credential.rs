//! The credential form: the database UUID and the contract number. The contract number is a
//! secret: the page only shows it masked, and empties its field after each save.

use super::field::Field;
use super::form_message::FormMessage;
use crate::api::credential::{ClearCredential, SaveCredential};
use crate::i18n::*;
use crate::model::credential::{CredentialStatus, CONTRACT_NUMBER_FIELD, DB_UUID_FIELD};
use leptos::prelude::*;

#[component]
pub fn CredentialForm(credential: Signal<CredentialStatus>) -> impl IntoView {
    let save = ServerAction::<SaveCredential>::new();
    let clear = ServerAction::<ClearCredential>::new();
    let error = move || save.value().get().and_then(Result::err);
    let field_error = move |field: &'static str| move || error().and_then(|e| e.for_field(field));
    let locale = use_i18n().get_locale_untracked();

    view! {
        <section class="panel" id="credential" aria-labelledby="credential-title">
            <h2 id="credential-title">{td_string!(locale, forms.credential.title)}</h2>
            <p class="panel__hint">
                {td_string!(locale, forms.credential.hint)}
            </p>
            <ActionForm action=save attr:class="form" attr:data-form="credential" attr:novalidate=true>
                <FormMessage error=Signal::derive(error) form="credential" />
                <Field
                    name=DB_UUID_FIELD
                    label=td_string!(locale, forms.credential.db_uuid)
                    value=Signal::derive(move || credential.read().db_uuid.clone().unwrap_or_default())
                    error=Signal::derive(field_error(DB_UUID_FIELD))
                    hint=""
                />
                <Field
                    name=CONTRACT_NUMBER_FIELD
                    label=td_string!(locale, forms.credential.contract_number)
                    // Never sent back: a secret does not stay on the screen.
                    value=""
                    secret=true
                    error=Signal::derive(field_error(CONTRACT_NUMBER_FIELD))
                    hint=Signal::derive(move || {
                        credential
                            .read()
                            .contract_number_masked
                            .clone()
                            .map(|masked| td_string!(locale, forms.credential.saved_masked, masked).to_string())
                            .unwrap_or_default()
                    })
                />
                <div class="form__buttons">
                    <button type="submit" class="button button--primary">{td_string!(locale, forms.credential.save)}</button>
                </div>
            </ActionForm>
            <ActionForm action=clear attr:class="form form--inline">
                <button type="submit" class="button">{td_string!(locale, forms.credential.clear)}</button>
            </ActionForm>
        </section>
    }
}
