//! The one kind of field of the forms: text, or a password.

use super::problem::field_problem_text;
use crate::api::form_error::FieldProblem;
use crate::i18n::*;
use leptos::prelude::*;

/// A labelled field with its error message beside it, linked for screen readers. `kind` is
/// the input's type (`text`, `password`); `autocomplete` tells password managers what it is.
/// A password, or a field marked `secret`, is emptied after each try (`live_page`), refused
/// or not: a secret does not stay on the screen.
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] error: Signal<Option<FieldProblem>>,
    #[prop(into)] hint: Signal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] secret: bool,
) -> impl IntoView {
    let input_id = format!("field-{name}");
    let message_id = format!("field-{name}-message");
    let locale = use_i18n().get_locale_untracked();
    view! {
        <div class="field" class:field--invalid=move || error.read().is_some()>
            <label for=input_id.clone()>{label}</label>
            <input
                id=input_id
                name=name
                type=kind
                autocomplete=autocomplete
                spellcheck="false"
                value=value
                data-secret=(secret || kind == "password").then_some("")
                aria-invalid=move || error.read().is_some().to_string()
                aria-describedby=message_id.clone()
            />
            <p class="field__message" id=message_id data-testid=format!("{name}-message")>
                {move || match error.read().as_ref() {
                    Some(problem) => field_problem_text(problem, locale),
                    None => hint.get(),
                }}
            </p>
        </div>
    }
}
