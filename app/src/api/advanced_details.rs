//! Remembers whether this browser shows the advanced details: a cookie set by a POST, so the
//! choice survives visits and works without JavaScript.

use super::cookies;
use leptos::prelude::*;

pub const COOKIE: &str = "iotbox_advanced";

#[server(prefix = "/api", endpoint = "advanced-details")]
pub async fn show_advanced_details(show: bool) -> Result<(), ServerFnError> {
    cookies::remember(COOKIE, if show { "1" } else { "0" })
}

/// Whether this browser asked for the advanced details.
pub fn remembered() -> bool {
    cookies::remembered(COOKIE).as_deref() == Some("1")
}
