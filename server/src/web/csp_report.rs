//! `POST /api/csp-report`: what a browser says the page's Content-Security-Policy blocked.
//! Logged as a warning of the web server, so a page the policy breaks shows in the logs.

use axum::body::Bytes;
use axum::http::StatusCode;

/// Reports are small; anything larger is cut before it is logged.
const LOGGED_BYTES: usize = 2048;

pub async fn receive(body: Bytes) -> StatusCode {
    let text = String::from_utf8_lossy(&body[..body.len().min(LOGGED_BYTES)]);
    let report: String = text.chars().filter(|c| !c.is_control()).collect();
    tracing::warn!(%report, "the browser blocked part of the page (Content-Security-Policy)");
    StatusCode::NO_CONTENT
}
