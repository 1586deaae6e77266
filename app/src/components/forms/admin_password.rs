//! The admin password form: set one (anyone on the shop's network can change the box until
//! then), change it, remove it, or log out. A password is never shown back, not even masked.

use super::field::Field;
use super::form_message::FormMessage;
use crate::api::access::{LogOut, RemoveAdminPassword, SetAdminPassword};
use crate::i18n::*;
use crate::model::access::{
    AccessStatus, CONFIRMATION_FIELD, CURRENT_PASSWORD_FIELD, MIN_PASSWORD_CHARS, PASSWORD_FIELD,
    REMOVAL_PASSWORD_FIELD,
};
use leptos::prelude::*;

#[component]
pub fn AdminPasswordForm(access: Signal<AccessStatus>) -> impl IntoView {
    let set = ServerAction::<SetAdminPassword>::new();
    let remove = ServerAction::<RemoveAdminPassword>::new();
    let log_out = ServerAction::<LogOut>::new();
    let error = move || set.value().get().and_then(Result::err);
    let field_error = move |field: &'static str| move || error().and_then(|e| e.for_field(field));
    // Whatever the box says of the password typed to remove it, said beside that field.
    let removal_error = move || remove.value().get().and_then(Result::err);
    let removal_problem = move || {
        removal_error().and_then(|e| {
            [
                REMOVAL_PASSWORD_FIELD,
                CURRENT_PASSWORD_FIELD,
                PASSWORD_FIELD,
            ]
            .into_iter()
            .find_map(|field| e.for_field(field))
        })
    };
    let password_set = move || access.read().password_set;
    let locale = use_i18n().get_locale_untracked();

    view! {
        <section class="panel" id="admin-password" aria-labelledby="admin-password-title">
            <h2 id="admin-password-title">{td_string!(locale, forms.admin_password.title)}</h2>
            <p class="panel__hint">
                {move || if password_set() {
                    td_string!(locale, forms.admin_password.hint_set)
                } else {
                    td_string!(locale, forms.admin_password.hint_unset)
                }}
            </p>
            <ActionForm action=set attr:class="form" attr:data-form="admin-password" attr:novalidate=true>
                <FormMessage error=Signal::derive(error) form="admin-password" />
                // Whoever changes the password knows it: an open session alone is not enough.
                <Show when=password_set>
                    <Field
                        name=CURRENT_PASSWORD_FIELD
                        label=td_string!(locale, forms.admin_password.current)
                        kind="password"
                        autocomplete="current-password"
                        value=""
                        error=Signal::derive(field_error(CURRENT_PASSWORD_FIELD))
                        hint=""
                    />
                </Show>
                <Field
                    name=PASSWORD_FIELD
                    label=td_string!(locale, forms.admin_password.new_password)
                    kind="password"
                    autocomplete="new-password"
                    value=""
                    error=Signal::derive(field_error(PASSWORD_FIELD))
                    hint=td_string!(locale, forms.admin_password.min_chars, count = MIN_PASSWORD_CHARS).to_string()
                />
                <Field
                    name=CONFIRMATION_FIELD
                    label=td_string!(locale, forms.admin_password.again)
                    kind="password"
                    autocomplete="new-password"
                    value=""
                    error=Signal::derive(field_error(CONFIRMATION_FIELD))
                    hint=""
                />
                <div class="form__buttons">
                    <button type="submit" class="button button--primary">
                        {move || if password_set() { td_string!(locale, forms.admin_password.change) } else { td_string!(locale, forms.admin_password.set) }}
                    </button>
                </div>
            </ActionForm>
            <Show when=password_set>
                // Removing it, too, needs the password: a session left open is not enough.
                <ActionForm action=remove attr:class="form" attr:data-form="admin-password-removal" attr:novalidate=true>
                    <FormMessage error=Signal::derive(removal_error) form="admin-password-removal" />
                    <Field
                        name=REMOVAL_PASSWORD_FIELD
                        label=td_string!(locale, forms.admin_password.removal_password)
                        kind="password"
                        autocomplete="current-password"
                        value=""
                        error=Signal::derive(removal_problem)
                        hint=""
                    />
                    <div class="form__buttons">
                        <button type="submit" class="button button--danger">{td_string!(locale, forms.admin_password.remove)}</button>
                    </div>
                </ActionForm>
                <div class="form__buttons">
                    <ActionForm action=log_out attr:class="form form--inline">
                        <button type="submit" class="button">{td_string!(locale, forms.admin_password.log_out)}</button>
                    </ActionForm>
                </div>
            </Show>
        </section>
    }
}
