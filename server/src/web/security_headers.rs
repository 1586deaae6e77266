//! Headers on every answer of the box, page or API: no framing by another site (it could
//! take a click on "Disconnect"), no guessing of content types, no referrer sent to another
//! site (the box's own forms need theirs: without JavaScript a form comes back to the page
//! it was sent from), a Content-Security-Policy that allows nothing unless the page set its
//! own, and HSTS only where it is safe: over HTTPS, on the certificate's own host name. Never
//! on an IP address or plain HTTP: a shop owner must always reach the box by its address.

use super::box_names;
use super::request_guards::OverHttps;
use axum::body::Body;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, HOST, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Request};
use iotbox_core::iot_box::IotBox;

/// A day: long enough to matter, short enough that a certificate the box lost does not lock
/// browsers out of its name for long.
const HSTS: &str = "max-age=86400";
/// For answers that are not the page: JSON, files, refusals.
const NOTHING_ALLOWED: &str = "default-src 'none'; frame-ancestors 'none'";

/// Whether the answer to `request` gets HSTS: over HTTPS, to a name the certificate covers.
pub fn hsts_due(iot_box: &IotBox, request: &Request<Body>) -> bool {
    let named = request
        .uri()
        .authority()
        .map(|authority| authority.as_str())
        .or_else(|| request.headers().get(HOST)?.to_str().ok());
    request.extensions().get::<OverHttps>().is_some()
        && named.is_some_and(|host| box_names::ask(iot_box, |names| names.certified(host)))
}

pub fn add(headers: &mut HeaderMap, hsts: bool) {
    headers
        .entry(CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(NOTHING_ALLOWED));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if hsts {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
}
