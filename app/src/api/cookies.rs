//! The page's preference cookies (advanced details, language): set by a POST so a choice works
//! without JavaScript, and read the same way on the server (from the request) and in the
//! browser (from the document), so hydration agrees.

use leptos::prelude::*;

/// One year: a preference, not a session.
#[cfg(feature = "ssr")]
const PREFERENCE_MAX_AGE_S: u32 = 365 * 24 * 3600;

/// Remembers `value` under `name` in this browser.
#[cfg(feature = "ssr")]
pub fn remember(name: &str, value: &str) -> Result<(), ServerFnError> {
    use http::{header::SET_COOKIE, HeaderValue};
    let cookie = format!("{name}={value}; Path=/; Max-Age={PREFERENCE_MAX_AGE_S}; SameSite=Strict");
    expect_context::<leptos_axum::ResponseOptions>().append_header(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|e| ServerFnError::new(e.to_string()))?,
    );
    Ok(())
}

/// The value this browser remembers under `name`.
pub fn remembered(name: &str) -> Option<String> {
    cookie_header()
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(found, _)| *found == name)
        .map(|(_, value)| value.to_string())
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
