//! Times as a person reads them, in the page's language: "25 gennaio 2027", "27 tháng 11,
//! 2026 lúc 14:03". The box sends RFC 3339 in UTC; the server writes it out in UTC and says so,
//! and once the page runs in a browser it rewrites each time in the browser's own zone.
//!
//! The server notes every time it writes into a page ([`WrittenTimes`], given out at the
//! page's end by [`TimesWritten`]); the browser finds each text in the page and writes it
//! anew (`browser`), wherever a sentence put it.

#[cfg(feature = "hydrate")]
mod browser;
mod shown;
#[cfg(feature = "ssr")]
mod utc;

#[cfg(feature = "hydrate")]
pub use browser::write_in_browser_zone;
pub use shown::Shown;

use crate::i18n::Locale;
use leptos::prelude::*;
use std::sync::{Arc, Mutex};

/// The id of the element that lists the times a page was written with.
pub const TIMES_WRITTEN_ID: &str = "times-written";

/// The times written into one page: (text, timestamp, how much of it).
#[derive(Clone, Default)]
pub struct WrittenTimes(Arc<Mutex<Vec<(String, String, Shown)>>>);

/// Sets a page up to note its times.
pub fn provide_written_times() {
    provide_context(WrittenTimes::default());
}

/// `timestamp` (RFC 3339) as a person reads it, in UTC; noted for the browser.
pub fn written(timestamp: &str, shown: Shown, locale: Locale) -> String {
    let text = write(timestamp, shown, locale);
    if let Some(times) = use_context::<WrittenTimes>() {
        if let Ok(mut times) = times.0.lock() {
            let noted = (text.clone(), timestamp.to_string(), shown);
            if !times.contains(&noted) {
                times.push(noted);
            }
        }
    }
    text
}

#[cfg(feature = "ssr")]
fn write(timestamp: &str, shown: Shown, locale: Locale) -> String {
    utc::written(timestamp, shown, locale)
}

// Components are rendered on the server only; the browser writes times itself (`browser`).
#[cfg(not(feature = "ssr"))]
fn write(timestamp: &str, _: Shown, _: Locale) -> String {
    timestamp.to_string()
}

/// The times this page was written with, for the browser: rendered last, once every other
/// part of the page has written its own. A JSON list of `[text, timestamp, shown]`.
#[component]
pub fn TimesWritten() -> impl IntoView {
    let listed = move || {
        let times = use_context::<WrittenTimes>()
            .and_then(|times| times.0.lock().ok().map(|times| times.clone()))
            .unwrap_or_default();
        let entries = times
            .iter()
            .map(|(text, timestamp, shown)| (text, timestamp, shown.name()))
            .collect::<Vec<_>>();
        leptos::serde_json::to_string(&entries).unwrap_or_default()
    };
    view! { <template id=TIMES_WRITTEN_ID data-times=listed></template> }
}
