//! The one kind of text field of the forms.

use leptos::prelude::*;

/// A labelled text field with its error message beside it, linked for screen readers.
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] hint: Signal<String>,
) -> impl IntoView {
    let input_id = format!("field-{name}");
    let message_id = format!("field-{name}-message");
    view! {
        <div class="field" class:field--invalid=move || error.read().is_some()>
            <label for=input_id.clone()>{label}</label>
            <input
                id=input_id
                name=name
                type="text"
                autocomplete="off"
                spellcheck="false"
                // The attribute for the page as served (and without JavaScript); the property
                // to follow changes once the user has typed.
                value=value
                prop:value=value
                aria-invalid=move || error.read().is_some().to_string()
                aria-describedby=message_id.clone()
            />
            <p class="field__message" id=message_id data-testid=format!("{name}-message")>
                {move || error.get().unwrap_or_else(|| hint.get())}
            </p>
        </div>
    }
}
