//! Why the box refused a form: a message for each field that needs correcting, shown next
//! to it, or what went wrong on the box. Travels the same way with and without JavaScript
//! (without, in the URL of the page the browser is sent back to), so it never carries the
//! values the user typed.

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
