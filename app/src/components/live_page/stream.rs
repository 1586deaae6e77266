//! The status stream, open while the tab is shown: a status the page does not show, or a
//! longer log, has the page read again; a stream broken or silent past its `alive` events
//! says the box is not heard from, and is opened anew.

use super::refresh::Page;
use crate::api::status_events::{StatusEvent, StatusEvents, QUIET_LIMIT_MS, RECONNECT_AFTER_MS};
use crate::components::document_visibility::use_document_visibility;
use leptos::prelude::*;
use web_sys::VisibilityState;

pub fn follow_while_visible(page: Page) {
    let stream = StoredValue::new_local(None::<StatusEvents>);
    let last_heard = StoredValue::new(js_sys::Date::now());
    let open = {
        let page = page.clone();
        move || {
            last_heard.set_value(js_sys::Date::now());
            let page = page.clone();
            let opened = StatusEvents::open(move |event| {
                last_heard.set_value(js_sys::Date::now());
                match event {
                    StatusEvent::Status(tag) if page.shows_status(&tag) => page.heard(),
                    StatusEvent::Status(_) => page.read_again(),
                    StatusEvent::LogGrew if page.shows_log() => page.read_again(),
                    StatusEvent::LogGrew | StatusEvent::Alive => page.heard(),
                    // The browser opens it again by itself, or the watch below does.
                    StatusEvent::Broken => page.not_heard(),
                }
            });
            stream.set_value(opened.ok());
        }
    };

    let visibility = use_document_visibility();
    let open_shown = open.clone();
    Effect::watch(
        move || visibility.get(),
        move |visibility, _, _| match visibility {
            // A hidden tab keeps nothing open; it hears the box again at once when shown.
            VisibilityState::Hidden => stream.set_value(None),
            _ if stream.with_value(Option::is_none) => open_shown(),
            _ => {}
        },
        true,
    );

    // A stream speaks for the session cookie it was opened with: after a form (a login, a
    // logout, a new password) it is opened anew, with the cookie the browser holds now.
    let open_after_form = open.clone();
    page.on_form_sent(move || {
        if visibility.get_untracked() != VisibilityState::Hidden {
            stream.set_value(None);
            open_after_form();
        }
    });

    // A stream the browser gave up on (an answer other than the stream), or one silent past
    // its `alive` events (a box that hangs, a network that drops packets), is opened anew.
    let watch = move || {
        if visibility.get_untracked() == VisibilityState::Hidden {
            return;
        }
        let silent = js_sys::Date::now() - last_heard.get_value() > QUIET_LIMIT_MS;
        if silent {
            page.not_heard();
        }
        if silent || stream.with_value(|stream| stream.as_ref().is_none_or(StatusEvents::gave_up)) {
            stream.set_value(None);
            open();
        }
    };
    let _ = set_interval_with_handle(watch, std::time::Duration::from_millis(RECONNECT_AFTER_MS));
}
