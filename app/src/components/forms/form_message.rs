//! The outcome of a form, above its fields: why it was refused, or that it was saved.

use super::problem::form_error_text;
use crate::api::form_error::FormError;
use crate::i18n::*;
use leptos::prelude::*;

/// Why the form was refused, or that it was saved.
#[component]
pub fn FormMessage(error: Signal<Option<FormError>>, saved: RwSignal<usize>) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    view! {
        {move || match error.get() {
            Some(error) => Some(view! {
                <p class="form__message form__message--error" role="alert">{form_error_text(&error, locale)}</p>
            }.into_any()),
            None if saved.get() > 0 => Some(view! {
                <p class="form__message" role="status">{td_string!(locale, forms.saved)}</p>
            }.into_any()),
            None => None,
        }}
    }
}
