//! The diagnostics: the last result for scripts (`curl /api/diagnostics`), and "Run
//! diagnostics", which waits for the run (at most a few seconds a step) so that the page,
//! with or without JavaScript, shows its result.

use crate::model::diagnostics::DiagnosticsReport;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[server(prefix = "/api", endpoint = "diagnostics", input = GetUrl)]
pub async fn get_diagnostics() -> Result<DiagnosticsReport, ServerFnError> {
    use http::{header::CACHE_CONTROL, HeaderValue};

    expect_context::<leptos_axum::ResponseOptions>()
        .insert_header(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(super::the_box().diagnostics())
}

#[server(prefix = "/api", endpoint = "diagnostics/run")]
pub async fn run_diagnostics() -> Result<DiagnosticsReport, ServerFnError> {
    Ok(super::the_box().run_diagnostics().await)
}
