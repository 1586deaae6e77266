//! Both servers stop cleanly on Ctrl-C and on SIGTERM (what systemd and Playwright send).
//! Long answers (the status event stream) end as soon as the box starts stopping.

use std::sync::LazyLock;
use tokio::sync::watch;

static STOPPING: LazyLock<watch::Sender<bool>> = LazyLock::new(|| watch::Sender::new(false));

pub async fn signal() {
    let interrupt = tokio::signal::ctrl_c();
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("installing the SIGTERM handler");
    tokio::select! {
        _ = interrupt => {},
        _ = terminate.recv() => {},
    }
    tracing::info!("stopping");
    crate::supervisor::stopping();
    STOPPING.send_replace(true);
}

/// Returns once the box is stopping.
pub async fn stopping() {
    let mut stopping = STOPPING.subscribe();
    // The sender is static: never dropped, so this only returns once it is set.
    let _ = stopping.wait_for(|stopping| *stopping).await;
}
