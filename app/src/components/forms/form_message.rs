//! The outcome of a form, above its fields: why it was refused, or that it was saved. A form
//! sent from the page (`live_page`) asks to come back with `?saved=` and its name; a refusal
//! comes back in the address too (Leptos's `__err`) and comes first.

use super::problem::form_error_text;
use crate::api::form_error::FormError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The query parameter that names the form just saved.
pub const SAVED_PARAMETER: &str = "saved";

/// Why the form named `form` (its `data-form`) was refused, or that it was saved.
#[component]
pub fn FormMessage(error: Signal<Option<FormError>>, form: &'static str) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let saved = use_query_map()
        .read_untracked()
        .get(SAVED_PARAMETER)
        .is_some_and(|saved| saved == form);
    view! {
        {move || match error.get() {
            Some(error) => Some(view! {
                <p class="form__message form__message--error" role="alert">{form_error_text(&error, locale)}</p>
            }.into_any()),
            None if saved => Some(view! {
                <p class="form__message" role="status">{td_string!(locale, forms.saved)}</p>
            }.into_any()),
            None => None,
        }}
    }
}
