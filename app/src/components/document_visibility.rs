//! Whether the tab is shown: `document.visibilityState`, followed through the document's
//! `visibilitychange` event, for as long as the page lives. In the browser only.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::VisibilityState;

pub fn use_document_visibility() -> ReadSignal<VisibilityState> {
    let (visibility, set_visibility) = signal(document().visibility_state());
    let changed =
        Closure::<dyn Fn()>::new(move || set_visibility.set(document().visibility_state()));
    let listening = document()
        .add_event_listener_with_callback("visibilitychange", changed.as_ref().unchecked_ref());
    if listening.is_ok() {
        // The page's own listener, kept for the page's life, as the tab it watches.
        changed.forget();
    }
    visibility
}
