//! `GET /api/logs`: the log file as a `text/plain` attachment named after the box and the
//! time, read off the async runtime.

use crate::iot_box::IotBox;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub async fn download_logs(iot_box: Arc<IotBox>) -> Response {
    match tokio::task::spawn_blocking(move || iot_box.log_download()).await {
        Ok(Ok((name, lines))) => (
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
            lines,
        )
            .into_response(),
        Ok(Err(error)) => {
            tracing::error!(%error, "the log file could not be read");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The log file could not be read.",
            )
                .into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
