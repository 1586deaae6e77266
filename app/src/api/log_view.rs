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
    super::the_box()
        .log_tail(level, super::request_access().session)
        .await
        .map_err(ServerFnError::new)
}
