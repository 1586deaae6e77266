//! `GET /api/logs`: the log file as a `text/plain` attachment named after the box and the
//! time, secrets taken out, read off the async runtime.

use super::attachment::attachment;
use crate::iot_box::IotBox;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub async fn download_logs(iot_box: Arc<IotBox>) -> Response {
    match tokio::task::spawn_blocking(move || iot_box.log_download()).await {
        Ok(Ok((name, lines))) => attachment(&name, lines),
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
