//! `GET /api/logs`: the log file as a `text/plain` attachment named after the box and the
//! time, read and sent a chunk at a time with secrets taken out (`logs::download`), each
//! read off the async runtime. Downloads (this and the support report) take one of
//! [`Downloads`]' turns; a download that has not ended within [`DOWNLOAD_DEADLINE`] is cut.

use super::attachment::attachment;
use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};
use iotbox_core::blocking::off_the_runtime;
use iotbox_core::iot_box::IotBox;
use iotbox_core::logs::download::LogDownload;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Downloads under way at once, at most.
pub const MOST_DOWNLOADS: usize = 2;
/// The 6 MiB of the log at 20 KB/s: a client reading slower does not hold a turn for good.
pub const DOWNLOAD_DEADLINE: Duration = Duration::from_secs(300);

/// The turns of the downloads.
#[derive(Clone)]
pub struct Downloads(Arc<Semaphore>);

impl Default for Downloads {
    fn default() -> Self {
        Self(Arc::new(Semaphore::new(MOST_DOWNLOADS)))
    }
}

impl Downloads {
    /// A turn, if one is free.
    pub fn turn(&self) -> Option<OwnedSemaphorePermit> {
        self.0.clone().try_acquire_owned().ok()
    }
}

/// The answer to a download that must wait for a turn.
pub fn busy() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "5")],
        "Two downloads are under way; try again in a moment.",
    )
        .into_response()
}

pub async fn download_logs(iot_box: Arc<IotBox>, downloads: Downloads) -> Response {
    let Some(turn) = downloads.turn() else {
        return busy();
    };
    let (name, download) = match off_the_runtime(move || iot_box.log_download()).await {
        Ok(Ok(opened)) => opened,
        Ok(Err(error)) => {
            tracing::error!(%error, "the log file could not be read");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The log file could not be read.",
            )
                .into_response();
        }
        Err(failed) => return super::work_failed::as_response(failed),
    };
    let chunks = stream::unfold(Some(download), |download| async move {
        let mut download: LogDownload = download?;
        // A failure ends the download early, which the browser shows as failed.
        let (read, download) = off_the_runtime(move || {
            let read = download.next_chunk();
            (read, download)
        })
        .await
        .ok()?;
        match read {
            Ok(Some(chunk)) => Some((Ok(chunk), Some(download))),
            Ok(None) => None,
            // The answer has begun: the error cuts it, which the browser shows as failed.
            Err(error) => Some((Err(error), None)),
        }
    })
    .take_until(tokio::time::sleep(DOWNLOAD_DEADLINE))
    // The turn is given back when the download ends, however it ends.
    .map(move |chunk| {
        let _turn = &turn;
        chunk
    });
    attachment(&name, Body::from_stream(chunks))
}
