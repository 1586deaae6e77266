//! Keeps the homepage live in the browser. The page is rendered on the box, whole; this
//! island is the only part of it that runs in the browser besides the device check:
//! - while the tab is shown, it keeps the box's status stream open (`api::status_events`)
//!   and, when the status changes or the log grows, reads the page again and patches the
//!   parts that changed in place (`morph`), so focus and typed text stay;
//! - it sends the page's forms without leaving the page (`forms`): the same request a
//!   browser without JavaScript sends, and the same page back;
//! - it writes times in the browser's own zone (`dates`);
//! - it says when the box is no longer heard from.

#[cfg(feature = "hydrate")]
mod forms;
#[cfg(feature = "hydrate")]
mod morph;
#[cfg(feature = "hydrate")]
mod refresh;
#[cfg(feature = "hydrate")]
mod stream;
#[cfg(any(feature = "hydrate", test))]
mod turns;

use leptos::prelude::*;

#[island]
pub fn LivePage(
    /// What the page says while the box is not heard from, in the page's language.
    unreachable: String,
) -> impl IntoView {
    let (reachable, set_reachable) = signal(true);
    #[cfg(feature = "hydrate")]
    {
        let page = refresh::Page::new(set_reachable);
        stream::follow_while_visible(page.clone());
        forms::send_in_place(page);
        crate::dates::write_in_browser_zone();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = set_reachable;
    view! {
        <Show when=move || !reachable.get()>
            <p class="notice notice--error" role="alert" data-testid="unreachable">
                {unreachable.clone()}
            </p>
        </Show>
    }
}
