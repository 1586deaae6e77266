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
    let mut status = super::the_box().status().await;
    // Who is logged in belongs to the request, which the web layer examined.
    status.access.logged_in = super::request_access().logged_in;
    Ok(status)
}
