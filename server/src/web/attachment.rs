//! A plain-text download: the log, the support report.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// `body` as a `text/plain` attachment named `name`, never kept by a cache.
pub fn attachment(name: &str, body: impl Into<Body>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/plain; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body.into(),
    )
        .into_response()
}
