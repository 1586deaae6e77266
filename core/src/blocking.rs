//! Blocking work (files, the settings, Argon2, netlink) run off the async runtime, with one
//! failure policy: work that panics is a bug. It is logged here, once, with its message, and
//! its caller gets `Err(WorkFailed)` and nothing made up in its place. The web layer answers
//! that with 500 (`iotbox`'s `web/work_failed.rs`); the certificate worker and the page's API,
//! which have no answer to give without the work, fail as the work did (the worker's
//! supervisor then restarts the box).

use std::fmt;

/// The blocking work did not finish: it panicked, or the runtime is shutting down.
#[derive(Debug)]
pub struct WorkFailed;

impl fmt::Display for WorkFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the box's blocking work failed (see the log)")
    }
}

impl std::error::Error for WorkFailed {}

/// Runs `work` on tokio's blocking threads and gives its result.
pub async fn off_the_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, WorkFailed> {
    tokio::task::spawn_blocking(work).await.map_err(|error| {
        tracing::error!(%error, "blocking work failed");
        WorkFailed
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn gives_the_work_s_result_or_its_failure() {
        assert_eq!(off_the_runtime(|| 42).await.ok(), Some(42));
        let failed = off_the_runtime(|| -> u8 { panic!("a bug") }).await;
        assert!(failed.is_err());
    }
}
