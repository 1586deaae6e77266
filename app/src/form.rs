//! What every form of the page shares: a labelled field with its message beside it, the
//! form's outcome, and why the box refused a form: a message for each field that needs
//! correcting, or what went wrong on the box. A refusal travels the same way with and
//! without JavaScript (without, in the URL of the page the browser is sent back to), so it
//! never carries the values the user typed.

use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum FormError {
    #[error("Please correct the fields marked below; nothing was saved.")]
    Fields(Vec<FieldError>),
    #[error("The box could not save this: {0}")]
    Refused(String),
    #[error("The box could not be reached: {0}")]
    Transport(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The `name` of the form field.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl FormError {
    /// A refusal of one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Fields(vec![FieldError::new(field, message)])
    }

    /// The message for one field, if it has one.
    pub fn for_field(&self, field: &str) -> Option<String> {
        match self {
            Self::Fields(errors) => errors
                .iter()
                .find(|error| error.field == field)
                .map(|error| error.message.clone()),
            _ => None,
        }
    }
}

impl FromServerFnError for FormError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        Self::Transport(error.to_string())
    }
}

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

/// The outcome of a form: why it was refused, or that it was saved.
#[component]
pub fn FormMessage(error: Signal<Option<FormError>>, saved: RwSignal<usize>) -> impl IntoView {
    view! {
        {move || match error.get() {
            Some(error) => Some(view! {
                <p class="form__message form__message--error" role="alert">{error.to_string()}</p>
            }.into_any()),
            None if saved.get() > 0 => Some(view! {
                <p class="form__message" role="status">"Saved."</p>
            }.into_any()),
            None => None,
        }}
    }
}
