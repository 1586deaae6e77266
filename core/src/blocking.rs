//! Blocking work (files, the settings, Argon2, netlink) run off the async runtime, with one
//! failure policy: work that panics is a bug. It is logged here, once, with its message, and
//! its caller gets `Err(WorkFailed)` and nothing made up in its place. The web layer answers
//! that with 500 (`iotbox`'s `web/work_failed.rs`); the certificate worker and the page's API,
//! which have no answer to give without the work, fail as the work did (the worker's
//! supervisor then restarts the box).

use std::fmt;

/// The blocking work did not finish.
#[derive(Debug, PartialEq, Eq)]
pub enum WorkFailed {
    /// It panicked: a bug, logged here.
    Panicked,
    /// It never ran: the runtime is shutting down, the box stopping. Nothing went wrong, and
    /// nothing is logged: a stop must not leave an error in the log a shop owner reads.
    Stopping,
}

impl fmt::Display for WorkFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WorkFailed::Panicked => "the box's blocking work failed (see the log)",
            WorkFailed::Stopping => "the box is stopping",
        })
    }
}

impl std::error::Error for WorkFailed {}

/// Runs `work` on tokio's blocking threads and gives its result.
pub async fn off_the_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, WorkFailed> {
    tokio::task::spawn_blocking(work).await.map_err(|error| {
        if error.is_cancelled() {
            return WorkFailed::Stopping;
        }
        tracing::error!(%error, "blocking work failed");
        WorkFailed::Panicked
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn gives_the_work_s_result_or_its_failure() {
        assert_eq!(off_the_runtime(|| 42).await.ok(), Some(42));
        let failed = off_the_runtime(|| -> u8 { panic!("a bug") }).await;
        assert_eq!(failed.err(), Some(WorkFailed::Panicked));
    }

    #[test]
    fn work_asked_for_once_the_runtime_is_gone_is_told_the_box_is_stopping() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let handle = runtime.handle().clone();
        drop(runtime);
        let _entered = handle.enter();
        let work = std::pin::pin!(off_the_runtime(|| 42));
        let answer = std::future::Future::poll(
            work,
            &mut std::task::Context::from_waker(std::task::Waker::noop()),
        );
        assert_eq!(answer, std::task::Poll::Ready(Err(WorkFailed::Stopping)));
    }
}
