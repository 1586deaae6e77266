//! The live log view's lines (`GET /api/logs/tail?level=warning`): read by the box, secrets
//! taken out, for those who may read the logs (anyone until an admin password is set).

use crate::model::log_level::Level;
use crate::model::log_view::LogTail;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// How many lines the view shows at most.
pub const LINES: usize = 100;

/// `None`: a login is needed first.
#[server(prefix = "/api", endpoint = "logs/tail", input = GetUrl)]
pub async fn get_log_tail(level: Option<Level>) -> Result<Option<LogTail>, ServerFnError> {
    use http::{header::CACHE_CONTROL, HeaderValue};

    expect_context::<leptos_axum::ResponseOptions>()
        .insert_header(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let level = level.unwrap_or_default();
    let (the_box, session) = (super::the_box(), super::request_access().session);
    let read = || async move {
        the_box
            .log_tail(level, session)
            .await
            .map_err(ServerFnError::new)
    };
    match use_context::<ReadForThisPage>() {
        Some(this_page) => this_page.lines(level, read).await,
        None => read().await,
    }
}

/// The lines a page render shows, read once per level. Leptos may run the log view more than
/// once while it renders the page (each run asks anew), and the browser hydrates the HTML of
/// the last run with the lines of the first: read twice while the log grows, they would
/// differ, and hydration fail.
#[cfg(feature = "ssr")]
#[derive(Clone, Default)]
pub struct ReadForThisPage(std::sync::Arc<std::sync::Mutex<Vec<(Level, TailOnce)>>>);

#[cfg(feature = "ssr")]
type TailOnce = std::sync::Arc<tokio::sync::OnceCell<Option<LogTail>>>;

#[cfg(feature = "ssr")]
impl ReadForThisPage {
    async fn lines<F, R>(&self, level: Level, read: F) -> Result<Option<LogTail>, ServerFnError>
    where
        F: FnOnce() -> R,
        R: std::future::Future<Output = Result<Option<LogTail>, ServerFnError>>,
    {
        let once = {
            let mut read_so_far = self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match read_so_far.iter().find(|(read, _)| *read == level) {
                Some((_, once)) => once.clone(),
                None => {
                    let once = TailOnce::default();
                    read_so_far.push((level, once.clone()));
                    once
                }
            }
        };
        once.get_or_try_init(read).await.cloned()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::model::log_view::LogLine;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_render_reads_the_lines_once_per_level_even_when_asked_at_once() {
        let this_page = ReadForThisPage::default();
        let reads = AtomicUsize::new(0);
        // Each reading finds one more line, as a log that grows.
        let read = |level: Level| {
            let reads = &reads;
            move || async move {
                let read_before = reads.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
                let line = LogLine {
                    at: "2026-12-05T12:00:00Z".to_string(),
                    level,
                    target: "iotbox_core::certificate::load".to_string(),
                    message: format!("reading {read_before}"),
                };
                Ok(Some(LogTail {
                    level,
                    lines: vec![line; read_before + 1],
                }))
            }
        };
        let (first, second) = tokio::join!(
            this_page.lines(Level::Info, read(Level::Info)),
            this_page.lines(Level::Info, read(Level::Info)),
        );
        let third = this_page.lines(Level::Info, read(Level::Info)).await;
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        assert_eq!(first.unwrap(), second.unwrap());
        assert_eq!(third.unwrap().unwrap().lines.len(), 1);
        // Another level is another reading.
        let debug = this_page.lines(Level::Debug, read(Level::Debug)).await;
        assert_eq!(reads.load(Ordering::SeqCst), 2);
        assert_eq!(debug.unwrap().unwrap().lines.len(), 2);
    }
}
