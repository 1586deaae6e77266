//! The login form, in place of the forms that change the box while an admin password is set
//! and this browser is not logged in.

use super::field::Field;
use super::form_message::FormMessage;
use crate::api::access::LogIn;
use crate::i18n::*;
use crate::model::access::PASSWORD_FIELD;
use leptos::prelude::*;

#[component]
pub fn LogInForm() -> impl IntoView {
    let log_in = ServerAction::<LogIn>::new();
    let error = move || log_in.value().get().and_then(Result::err);
    let locale = use_i18n().get_locale_untracked();
    view! {
        <section class="panel" id="log-in" aria-labelledby="log-in-title">
            <h2 id="log-in-title">{td_string!(locale, forms.log_in.title)}</h2>
            <p class="panel__hint">
                {td_string!(locale, forms.log_in.hint)}
            </p>
            <ActionForm action=log_in attr:class="form" attr:data-form="log-in" attr:novalidate=true>
                <FormMessage error=Signal::derive(error) form="log-in" />
                <Field
                    name=PASSWORD_FIELD
                    label=td_string!(locale, forms.log_in.password)
                    kind="password"
                    autocomplete="current-password"
                    value=""
                    error=Signal::derive(move || error().and_then(|e| e.for_field(PASSWORD_FIELD)))
                    hint=""
                />
                <div class="form__buttons">
                    <button type="submit" class="button button--primary">{td_string!(locale, forms.log_in.submit)}</button>
                </div>
            </ActionForm>
        </section>
    }
}
