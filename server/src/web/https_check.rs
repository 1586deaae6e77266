//! `GET /api/https-check`: this device's view of the HTTPS address. The homepage, opened by
//! IP address or by name, asks for it at the HTTPS address from the browser; the answer names
//! the box, so that the page knows it reached this box and not another device. It allows
//! exactly that cross-origin read: the origin must be the box itself (its IP, its names,
//! loopback, a name of its certificate), never another site, which would learn that a box
//! answers there.

use super::request_guards::{certificate_names, host_name};
use crate::iot_box::IotBox;
use axum::extract::State;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, ORIGIN, VARY};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::net::IpAddr;
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
    let Some((_, authority)) = origin.split_once("://") else {
        return false;
    };
    let host = host_name(authority);
    match host.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || iot_box.is_own_ip(ip),
        Err(_) => {
            host == "localhost"
                || host.ends_with(".localhost")
                || iot_box.own_names().contains(&host)
                || certificate_names(&host, &iot_box.certificate().served().current().summary)
        }
    }
}
