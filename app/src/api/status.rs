//! The box status, for the page (hydrated calls) and for scripts (`curl /api/status`).

use crate::model::box_status::BoxStatus;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[server(prefix = "/api", endpoint = "status", input = GetUrl)]
pub async fn get_status() -> Result<BoxStatus, ServerFnError> {
    use http::{header::CACHE_CONTROL, HeaderValue};

    // A status is only true when it is read: no browser or proxy may keep it.
    expect_context::<leptos_axum::ResponseOptions>()
        .insert_header(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(super::the_box()
        .status(super::request_access().session)
        .await)
}
