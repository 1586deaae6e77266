//! The language this browser chose on the page, remembered by a cookie set by a POST: the
//! switch is a plain form, so it works without JavaScript, and the page comes back in the
//! chosen language. Without a choice, the browser's `Accept-Language` decides.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::cookies, crate::i18n::Locale, leptos_i18n::Locale as _, std::str::FromStr};

pub const COOKIE: &str = "iotbox_language";

#[server(prefix = "/api", endpoint = "language")]
pub async fn choose_language(language: String) -> Result<(), ServerFnError> {
    // Only a language the page has: the value goes into a header.
    let locale = Locale::from_str(&language)
        .map_err(|_| ServerFnError::new(format!("no such language: {language:?}")))?;
    cookies::remember(COOKIE, locale.as_str())
}

/// The language this browser chose, if it chose one the page still has. The browser needs
/// not read it: the page it gets is in that language, and says so in `<html lang>`.
#[cfg(feature = "ssr")]
pub fn remembered() -> Option<Locale> {
    cookies::remembered(COOKIE).and_then(|value| Locale::from_str(&value).ok())
}
