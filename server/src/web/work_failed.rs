//! Blocking work that failed (it is logged where it failed): the request gets 500, and no
//! made-up answer.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use iotbox_core::blocking::WorkFailed;

pub fn as_response(_: WorkFailed) -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "The box could not do this: its log says why.",
    )
        .into_response()
}
