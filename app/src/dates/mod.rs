//! Times as a person reads them, in the page's language: "25 gennaio 2027", "27 tháng 11,
//! 2026 lúc 14:03". The box sends RFC 3339 in UTC; the server writes it out in UTC and says so,
//! and once the page runs in a browser it rewrites each time in the browser's own zone.
//!
//! The first text the browser computes is never shown (hydration keeps the server's); the
//! switch to the browser's zone, after hydration, is what rewrites it.

#[cfg(feature = "hydrate")]
mod browser;
mod shown;
#[cfg(feature = "ssr")]
mod utc;

pub use shown::Shown;

use crate::i18n::Locale;
use leptos::prelude::*;

/// Whether the page shows times in the browser's zone yet (never on the server).
#[derive(Clone, Copy)]
struct BrowserZone(RwSignal<bool>);

/// Sets the page up for times: UTC as served, then the browser's zone once it runs there.
pub fn provide_time_zone() {
    let in_browser = RwSignal::new(false);
    // Effects run in the browser only, after hydration.
    Effect::new(move || in_browser.set(true));
    provide_context(BrowserZone(in_browser));
}

/// `timestamp` (RFC 3339) as a person reads it. Reactive: call it inside a closure, so it is
/// rewritten in the browser's zone.
pub fn written(timestamp: &str, shown: Shown, locale: Locale) -> String {
    let in_browser = use_context::<BrowserZone>().is_some_and(|zone| zone.0.get());
    write(timestamp, shown, locale, in_browser)
}

#[cfg(feature = "ssr")]
fn write(timestamp: &str, shown: Shown, locale: Locale, _in_browser: bool) -> String {
    utc::written(timestamp, shown, locale)
}

#[cfg(feature = "hydrate")]
fn write(timestamp: &str, shown: Shown, locale: Locale, in_browser: bool) -> String {
    if in_browser {
        browser::written(timestamp, shown, locale)
    } else {
        // Hydration keeps the server's text in place of this one.
        timestamp.to_string()
    }
}
