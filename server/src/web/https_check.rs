//! `GET /api/https-check`: this device's view of the HTTPS address. The homepage, opened by
//! IP address or by name, asks for it at the HTTPS address from the browser; the answer names
//! the box, so that the page knows it reached this box and not another device. It allows
//! exactly that cross-origin read: the origin must be the box itself (its IP, its names,
//! loopback, a name of its certificate), never another site, which would learn that a box
//! answers there.

use super::box_names;
use axum::extract::State;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, ORIGIN, VARY};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use iotbox_core::iot_box::IotBox;
use std::sync::Arc;

pub const PATH: &str = "/api/https-check";

pub async fn answer(State(iot_box): State<Arc<IotBox>>, headers: HeaderMap) -> Response {
    let allowed = headers
        .get(ORIGIN)
        .filter(|origin| {
            origin
                .to_str()
                .is_ok_and(|origin| is_the_box(origin, &iot_box))
        })
        .cloned();
    let mut response = Json(serde_json::json!({ "box": iot_box.name() })).into_response();
    let answer_headers = response.headers_mut();
    answer_headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The answer depends on who asks: no cache may give one origin's answer to another.
    answer_headers.insert(VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = allowed {
        answer_headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    response
}

/// Whether `origin` (`scheme://host[:port]`) is one of the box's own pages.
fn is_the_box(origin: &str, iot_box: &IotBox) -> bool {
    origin.split_once("://").is_some_and(|(_, authority)| {
        box_names::ask(iot_box, |names| names.serves_pages_at(authority))
    })
}
