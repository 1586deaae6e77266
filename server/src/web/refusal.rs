//! Why the box refused a request before anything answered it, and what it answers then: one
//! type for the refusals of the request guards (`admission.rs`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why a request was refused before anything answered it.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    OtherHost,
    FromAnotherSite,
    /// The most bytes the request's route takes.
    BodyTooLarge(usize),
    BodyUnreadable,
    BodyTooSlow,
    LoginNeeded,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, text) = match self {
            Refusal::OtherHost => (
                StatusCode::FORBIDDEN,
                "Refused: this address does not name the IoT box.".into(),
            ),
            Refusal::FromAnotherSite => (
                StatusCode::FORBIDDEN,
                "Refused: changes to the IoT box can only be made from its own homepage.".into(),
            ),
            Refusal::BodyTooLarge(most) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("Refused: a request to this address may send at most {most} bytes."),
            ),
            Refusal::BodyUnreadable => (
                StatusCode::BAD_REQUEST,
                "The request's body could not be read.".into(),
            ),
            Refusal::BodyTooSlow => (
                StatusCode::REQUEST_TIMEOUT,
                "The request's body did not come in time.".into(),
            ),
            Refusal::LoginNeeded => (
                StatusCode::UNAUTHORIZED,
                "Log in first: this box has an admin password (on its homepage, under the cogs)."
                    .into(),
            ),
        };
        (status, text).into_response()
    }
}
