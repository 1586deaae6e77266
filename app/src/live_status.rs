//! Keeps the homepage's status live: polls `get_status` every poll interval while the tab is
//! visible, and tells whether the box answered the last poll.

use crate::status::BoxStatus;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct LiveStatus {
    pub status: ReadSignal<BoxStatus>,
    /// False from a failed (or unanswered) poll until the next poll the box answers.
    pub reachable: ReadSignal<bool>,
}

/// Starts from the status the server rendered the page with. On the server, and in a browser
/// without JavaScript, the status simply stays the rendered one.
pub fn use_live_status(initial: BoxStatus) -> LiveStatus {
    let poll_interval_ms = u64::from(initial.poll_interval_ms);
    let (status, set_status) = signal(initial);
    let (reachable, set_reachable) = signal(true);

    #[cfg(feature = "hydrate")]
    poll_while_visible(poll_interval_ms, set_status, set_reachable);
    #[cfg(not(feature = "hydrate"))]
    let _ = (poll_interval_ms, set_status, set_reachable);

    LiveStatus { status, reachable }
}

#[cfg(feature = "hydrate")]
fn poll_while_visible(
    poll_interval_ms: u64,
    set_status: WriteSignal<BoxStatus>,
    set_reachable: WriteSignal<bool>,
) {
    use crate::status::get_status;
    use leptos_use_document_visibility::use_document_visibility;
    use leptos_use_interval_fn::{use_interval_fn, Pausable};
    use web_sys::VisibilityState;

    let in_flight = StoredValue::new(false);
    let poll = move || {
        if in_flight.get_value() {
            // The previous poll is still unanswered after a whole interval: for the user, the
            // box does not answer.
            set_reachable.set(false);
            return;
        }
        in_flight.set_value(true);
        leptos::task::spawn_local(async move {
            match get_status().await {
                Ok(fresh) => {
                    // Only a real change touches the DOM.
                    set_status.maybe_update(|current| {
                        let changed = *current != fresh;
                        if changed {
                            *current = fresh;
                        }
                        changed
                    });
                    set_reachable.set(true);
                }
                Err(_) => set_reachable.set(false),
            }
            in_flight.set_value(false);
        });
    };

    let Pausable { pause, resume, .. } = use_interval_fn(poll, poll_interval_ms);
    let visibility = use_document_visibility();
    Effect::watch(
        move || visibility.get(),
        move |visibility, previous, _| match visibility {
            VisibilityState::Hidden => pause(),
            _ => {
                // Coming back to the tab: show fresh data at once rather than after a tick.
                if previous == Some(&VisibilityState::Hidden) {
                    poll();
                }
                resume();
            }
        },
        true,
    );
}
