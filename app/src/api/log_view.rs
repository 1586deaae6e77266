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
