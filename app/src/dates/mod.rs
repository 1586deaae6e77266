//! Times as a person reads them, in the page's language: "25 gennaio 2027", "27 tháng 11,
//! 2026 lúc 14:03". The box sends RFC 3339 in UTC; the server writes it out in UTC and says so,
//! and once the page runs in a browser it rewrites each time in the browser's own zone.
//!
//! The server notes every time it writes into a page (`page_times`, listed at the page's
//! end by [`TimesWritten`]); the browser finds each text in the page and writes it anew
//! (`browser`), wherever a sentence put it.

#[cfg(feature = "hydrate")]
mod browser;
mod page_times;
mod shown;
#[cfg(feature = "ssr")]
mod utc;

#[cfg(feature = "hydrate")]
pub use browser::write_in_browser_zone;
pub use page_times::{provide_written_times, TimesWritten};
pub use shown::Shown;

use crate::i18n::Locale;

/// `timestamp` (RFC 3339) as a person reads it, in UTC; noted for the browser.
pub fn written(timestamp: &str, shown: Shown, locale: Locale) -> String {
    let text = write(timestamp, shown, locale);
    page_times::note(&text, timestamp, shown);
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
