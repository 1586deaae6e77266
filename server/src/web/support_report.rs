//! `GET /api/support-report`: the support report as a `text/plain` attachment. The
//! diagnostics run first (or their results under 10 s old are taken), so the report says how
//! things are now; the rest is read off the async runtime.

use super::attachment::attachment;
use super::log_download::Downloads;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use iotbox_core::blocking::off_the_runtime;
use iotbox_core::iot_box::IotBox;
use std::sync::Arc;

pub const PATH: &str = "/api/support-report";

pub async fn download(iot_box: Arc<IotBox>, downloads: Downloads) -> Response {
    // Held to the end: the report is whole in memory, bounded by its last log lines.
    let Some(_turn) = downloads.turn() else {
        return super::log_download::busy();
    };
    let address = {
        let iot_box = iot_box.clone();
        off_the_runtime(move || iot_box.address_target())
            .await
            .ok()
            .flatten()
    };
    iot_box.diagnostics().run_asked(address).await;
    match off_the_runtime(move || iot_box.support_report()).await {
        Ok(Ok((name, text))) => attachment(&name, text),
        Ok(Err(error)) => {
            tracing::error!(%error, "the support report could not be made");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The support report could not be made: the log file could not be read.",
            )
                .into_response()
        }
        Err(failed) => super::work_failed::as_response(failed),
    }
}
