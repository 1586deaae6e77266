//! Keeps the homepage's status live: polls `get_status` every poll interval while the tab is
//! visible, and tells whether the box answered the last poll.

use crate::model::box_status::BoxStatus;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct LiveStatus {
    pub status: ReadSignal<BoxStatus>,
    /// False from a failed (or unanswered) poll until the next poll the box answers.
    pub reachable: ReadSignal<bool>,
    /// Asks for a poll now, e.g. after a form changed the box.
    refresh: Trigger,
    /// Counts the polls the box answered: what follows the box besides its status (the log
    /// view) reads again on each.
    pub answered: ReadSignal<u64>,
}

/// Polls as soon as `version` moves (an action completed), so the page shows its effect at
/// once rather than at the next interval.
pub fn refresh_when(version: RwSignal<usize>) {
    if let Some(live) = use_context::<LiveStatus>() {
        Effect::watch(
            move || version.get(),
            move |_, _, _| live.refresh.notify(),
            false,
        );
    }
}

/// Starts from the status the server rendered the page with. On the server, and in a browser
/// without JavaScript, the status simply stays the rendered one.
pub fn use_live_status(initial: BoxStatus) -> LiveStatus {
    let poll_interval_ms = u64::from(initial.poll_interval_ms);
    let (status, set_status) = signal(initial);
    let (reachable, set_reachable) = signal(true);
    let (answered, set_answered) = signal(0u64);
    let refresh = Trigger::new();

    // A page opened on a problem may have just started a retry (opening it retries): its
    // outcome is worth showing within a second rather than at the next interval.
    #[cfg(feature = "hydrate")]
    if status.with_untracked(|s| s.certificate.state)
        != crate::model::certificate::CertificateState::Ok
    {
        follow_soon(refresh);
    }
    #[cfg(feature = "hydrate")]
    poll_while_visible(
        poll_interval_ms,
        set_status,
        set_reachable,
        set_answered,
        refresh,
    );
    #[cfg(not(feature = "hydrate"))]
    let _ = (poll_interval_ms, set_status, set_reachable, set_answered);

    let live = LiveStatus {
        status,
        reachable,
        refresh,
        answered,
    };
    provide_context(live);
    live
}

/// Polls again in a second.
#[cfg(feature = "hydrate")]
fn follow_soon(refresh: Trigger) {
    leptos::prelude::set_timeout(move || refresh.notify(), std::time::Duration::from_secs(1));
}

#[cfg(feature = "hydrate")]
fn poll_while_visible(
    poll_interval_ms: u64,
    set_status: WriteSignal<BoxStatus>,
    set_reachable: WriteSignal<bool>,
    set_answered: WriteSignal<u64>,
    refresh: Trigger,
) {
    use crate::api::status::get_status;
    use leptos_use_document_visibility::use_document_visibility;
    use leptos_use_interval_fn::{use_interval_fn, Pausable};
    use web_sys::VisibilityState;

    let in_flight = StoredValue::new(false);
    // `on_tick`: called by the interval, rather than to refresh at once.
    let poll_now = move |on_tick: bool| {
        if in_flight.get_value() {
            if on_tick {
                // The previous poll is still unanswered after a whole interval: for the user,
                // the box does not answer.
                set_reachable.set(false);
            }
            return;
        }
        in_flight.set_value(true);
        leptos::task::spawn_local(async move {
            match get_status().await {
                Ok(fresh) => {
                    // A request under way ends within seconds: follow it closely.
                    if fresh.certificate.state
                        == crate::model::certificate::CertificateState::Requesting
                    {
                        follow_soon(refresh);
                    }
                    // Only a real change touches the DOM.
                    set_status.maybe_update(|current| {
                        let changed = *current != fresh;
                        if changed {
                            *current = fresh;
                        }
                        changed
                    });
                    set_reachable.set(true);
                    set_answered.update(|count| *count += 1);
                }
                Err(_) => set_reachable.set(false),
            }
            in_flight.set_value(false);
        });
    };
    let poll = move || poll_now(true);

    let Pausable { pause, resume, .. } = use_interval_fn(poll, poll_interval_ms);
    let visibility = use_document_visibility();
    Effect::watch(
        move || refresh.track(),
        move |_, _, _| {
            // A hidden tab asks nothing; it polls at once when shown again.
            if visibility.get_untracked() != VisibilityState::Hidden {
                poll_now(false);
            }
        },
        false,
    );
    Effect::watch(
        move || visibility.get(),
        move |visibility, previous, _| match visibility {
            VisibilityState::Hidden => pause(),
            _ => {
                // Coming back to the tab: show fresh data at once rather than after a tick.
                if previous == Some(&VisibilityState::Hidden) {
                    poll_now(false);
                }
                resume();
            }
        },
        true,
    );
}
