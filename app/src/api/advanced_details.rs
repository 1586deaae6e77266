//! Remembers whether this browser shows the advanced details: a cookie set by a POST, so the
//! choice survives visits and works without JavaScript.

use leptos::prelude::*;

pub const COOKIE: &str = "iotbox_advanced";

#[server(prefix = "/api", endpoint = "advanced-details")]
pub async fn show_advanced_details(show: bool) -> Result<(), ServerFnError> {
    use http::{header::SET_COOKIE, HeaderValue};
    // One year: a preference, not a session.
    const COOKIE_MAX_AGE_S: u32 = 365 * 24 * 3600;
    let cookie = format!(
        "{COOKIE}={}; Path=/; Max-Age={COOKIE_MAX_AGE_S}; SameSite=Strict",
        u8::from(show)
    );
    expect_context::<leptos_axum::ResponseOptions>().append_header(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|e| ServerFnError::new(e.to_string()))?,
    );
    Ok(())
}

/// Whether this browser asked for the advanced details, read the same way on the server
/// (from the request) and in the browser (from the document), so hydration agrees.
pub fn remembered() -> bool {
    cookie_header()
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(name, value)| name == COOKIE && value == "1")
}

#[cfg(feature = "ssr")]
fn cookie_header() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get_all(http::header::COOKIE)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .map(str::to_string)
                .reduce(|a, b| format!("{a}; {b}"))
        })
        .unwrap_or_default()
}

#[cfg(feature = "hydrate")]
fn cookie_header() -> String {
    use wasm_bindgen::JsCast;
    document()
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()
        .and_then(|document| document.cookie().ok())
        .unwrap_or_default()
}
