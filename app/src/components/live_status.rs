//! Keeps the homepage's status live: while the tab is shown, the page keeps the box's status
//! stream open (`api::status_events`) and takes each status the box pushes; hidden, it
//! closes it. It also tells whether the box is still heard from.

use crate::model::box_status::BoxStatus;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct LiveStatus {
    pub status: ReadSignal<BoxStatus>,
    /// False from a broken (or silent) stream or a failed refresh until the box is heard again.
    pub reachable: ReadSignal<bool>,
    /// Asks for the status now, e.g. after a form changed the box.
    refresh: Trigger,
    /// Moves when the box's log grew, or after a refresh: the log view reads again on each.
    pub log_changes: ReadSignal<u64>,
}

/// Asks for the status as soon as `version` moves (an action completed), so the page shows
/// its effect at once.
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
    let (status, set_status) = signal(initial);
    let (reachable, set_reachable) = signal(true);
    let (log_changes, set_log_changes) = signal(0u64);
    let refresh = Trigger::new();

    #[cfg(feature = "hydrate")]
    {
        let heard = Heard {
            set_status,
            set_reachable,
            set_log_changes,
            pushed: StoredValue::new(0),
        };
        follow_while_visible(heard, refresh);
        refresh_on_demand(refresh, heard);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_status, set_reachable, set_log_changes);

    let live = LiveStatus {
        status,
        reachable,
        refresh,
        log_changes,
    };
    provide_context(live);
    live
}

/// What the page does with what it hears from the box.
#[cfg(feature = "hydrate")]
#[derive(Clone, Copy)]
struct Heard {
    set_status: WriteSignal<BoxStatus>,
    set_reachable: WriteSignal<bool>,
    set_log_changes: WriteSignal<u64>,
    /// Statuses the stream has pushed so far.
    pushed: StoredValue<u64>,
}

#[cfg(feature = "hydrate")]
impl Heard {
    fn status(self, fresh: BoxStatus) {
        // Only a real change touches the DOM.
        self.set_status.maybe_update(|current| {
            let changed = *current != fresh;
            if changed {
                *current = fresh;
            }
            changed
        });
        self.set_reachable.set(true);
    }

    fn log_grew(self) {
        self.set_log_changes.update(|count| *count += 1);
    }
}

/// One request for the status, answered with its ETag's 304 when nothing changed.
#[cfg(feature = "hydrate")]
fn refresh_on_demand(refresh: Trigger, heard: Heard) {
    use crate::api::status::get_status;

    Effect::watch(
        move || refresh.track(),
        move |_, _, _| {
            let pushed_before = heard.pushed.get_value();
            leptos::task::spawn_local(async move {
                match get_status().await {
                    // A status the stream pushed meanwhile may be newer than this answer
                    // (a certificate stored just after the box answered): the stream then
                    // stays the truth, since it pushes every later change itself. Shown
                    // over it, an older answer would stay on the page.
                    Ok(_) if heard.pushed.get_value() != pushed_before => {
                        heard.set_reachable.set(true);
                        heard.log_grew();
                    }
                    Ok(fresh) => {
                        heard.status(fresh);
                        heard.log_grew();
                    }
                    Err(_) => heard.set_reachable.set(false),
                }
            });
        },
        false,
    );
}

#[cfg(feature = "hydrate")]
fn follow_while_visible(heard: Heard, refresh: Trigger) {
    use super::document_visibility::use_document_visibility;
    use crate::api::status_events::{
        StatusEvent, StatusEvents, QUIET_LIMIT_MS, RECONNECT_AFTER_MS,
    };
    use web_sys::VisibilityState;

    let stream = StoredValue::new_local(None::<StatusEvents>);
    let last_heard = StoredValue::new(js_sys::Date::now());
    let open = move || {
        last_heard.set_value(js_sys::Date::now());
        let opened = StatusEvents::open(move |event| {
            last_heard.set_value(js_sys::Date::now());
            match event {
                StatusEvent::Status(fresh) => {
                    heard.pushed.update_value(|pushed| *pushed += 1);
                    heard.status(*fresh);
                }
                StatusEvent::LogGrew => heard.log_grew(),
                StatusEvent::Alive => heard.set_reachable.set(true),
                // The browser opens it again by itself, or the watch below does.
                StatusEvent::Broken => heard.set_reachable.set(false),
            }
        });
        stream.set_value(opened.ok());
    };

    let visibility = use_document_visibility();
    Effect::watch(
        move || visibility.get(),
        move |visibility, _, _| match visibility {
            // A hidden tab keeps nothing open; it hears the box again at once when shown.
            VisibilityState::Hidden => stream.set_value(None),
            _ if stream.with_value(Option::is_none) => open(),
            _ => {}
        },
        true,
    );

    // A stream speaks for the session cookie it was opened with: after a form (a login, a
    // logout, a new password) it is opened anew, with the cookie the browser holds now.
    Effect::watch(
        move || refresh.track(),
        move |_, _, _| {
            if visibility.get_untracked() != VisibilityState::Hidden {
                stream.set_value(None);
                open();
            }
        },
        false,
    );

    // A stream the browser gave up on (an answer other than the stream), or one silent past
    // its `alive` events (a box that hangs, a network that drops packets), is opened anew.
    let watch = move || {
        if visibility.get_untracked() == VisibilityState::Hidden {
            return;
        }
        let silent = js_sys::Date::now() - last_heard.get_value() > QUIET_LIMIT_MS;
        if silent {
            heard.set_reachable.set(false);
        }
        if silent || stream.with_value(|stream| stream.as_ref().is_none_or(StatusEvents::gave_up)) {
            stream.set_value(None);
            open();
        }
    };
    let _ = set_interval_with_handle(watch, std::time::Duration::from_millis(RECONNECT_AFTER_MS));
}
