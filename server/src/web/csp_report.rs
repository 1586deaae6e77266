//! `POST /api/csp-report`: what a browser says the page's Content-Security-Policy blocked.
//! Logged as a warning of the web server, so a page the policy breaks shows in the logs; at
//! most [`REPORTS_PER_MINUTE`] a minute, so that nobody on the network can flush the log
//! with reports.

use axum::body::Bytes;
use axum::http::StatusCode;
use iotbox_core::logs::budget::Budget;

/// Reports are small; anything larger is cut before it is logged.
const LOGGED_BYTES: usize = 2048;
/// The largest report body the box reads at all.
pub const MAX_REPORT_BYTES: usize = 16 * 1024;
const REPORTS_PER_MINUTE: u32 = 10;

static LOGGED: Budget = Budget::per_minute(REPORTS_PER_MINUTE);

pub async fn receive(body: Bytes) -> StatusCode {
    if let Some(dropped_before) = LOGGED.admit() {
        let text = String::from_utf8_lossy(&body[..body.len().min(LOGGED_BYTES)]);
        let report: String = text.chars().filter(|c| !c.is_control()).collect();
        tracing::warn!(
            %report,
            dropped_before,
            "the browser blocked part of the page (Content-Security-Policy)"
        );
    }
    StatusCode::NO_CONTENT
}
