//! The box status, for the page (hydrated calls) and for scripts (`curl /api/status`).

use crate::model::box_status::BoxStatus;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[server(prefix = "/api", endpoint = "status", input = GetUrl)]
pub async fn get_status() -> Result<BoxStatus, ServerFnError> {
    use http::{header::CACHE_CONTROL, HeaderValue};

    // A status is only true when it is read: a browser may keep it, but asks the box again
    // before each use (with its ETag: the box answers 304 when nothing changed).
    expect_context::<leptos_axum::ResponseOptions>()
        .insert_header(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(super::the_box()
        .status(super::request_access().session)
        .await)
}
