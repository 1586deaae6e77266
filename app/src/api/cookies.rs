//! The page's preference cookies (advanced details, language): set by a POST so a choice works
//! without JavaScript, and read from the request the page is rendered for.

#[cfg(feature = "ssr")]
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
    value_in(&cookie_header(), name).map(str::to_string)
}

/// The value of the cookie `name` in a `Cookie` header (`a=1; b=2`): the one rule by which
/// the box reads cookies, the page's preferences here and its session in the web layer.
/// These few lines rather than the `cookie` crate, which would bring `time` into the page.
pub fn value_in<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(found, _)| *found == name)
        .map(|(_, value)| value)
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

// The page is rendered on the server only: its islands read no preference.
#[cfg(not(feature = "ssr"))]
fn cookie_header() -> String {
    String::new()
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_a_cookie_by_its_whole_name() {
        let header = "iotbox_advanced=1; __Host-iotbox_session=abc; iotbox_language=vi";
        assert_eq!(super::value_in(header, "iotbox_language"), Some("vi"));
        assert_eq!(
            super::value_in(header, "__Host-iotbox_session"),
            Some("abc")
        );
        assert_eq!(super::value_in(header, "iotbox_session"), None);
        assert_eq!(super::value_in("", "iotbox_language"), None);
    }
}
