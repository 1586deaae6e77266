//! The diagnostics: the last result for scripts (`curl /api/diagnostics`), and "Run
//! diagnostics", which waits for the run (at most a few seconds a step) so that the page,
//! with or without JavaScript, shows its result.

use crate::model::diagnostics::Diagnosis;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[server(prefix = "/api", endpoint = "diagnostics", input = GetUrl)]
pub async fn get_diagnosis() -> Result<Option<Diagnosis>, ServerFnError> {
    use http::{header::CACHE_CONTROL, HeaderValue};

    expect_context::<leptos_axum::ResponseOptions>()
        .insert_header(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(super::the_box().diagnosis())
}

#[server(prefix = "/api", endpoint = "diagnostics/run")]
pub async fn run_diagnostics() -> Result<Diagnosis, ServerFnError> {
    Ok(super::the_box().run_diagnostics().await)
}
