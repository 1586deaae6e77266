//! The box status, for the page as the box renders it and for scripts (`curl /api/status`).

use crate::model::box_status::BoxStatus;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[server(prefix = "/api", endpoint = "status", input = GetUrl)]
pub async fn get_status() -> Result<BoxStatus, ServerFnError> {
    // How long browsers keep it (`no-cache`, with an ETag) is the web layer's to say, for
    // this answer as for every other (`server/src/web/caching.rs`).
    Ok(super::the_box()
        .status(super::request_access().session)
        .await)
}
