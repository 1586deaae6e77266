//! The box status, pushed: `GET /api/status/events` is an event stream (server-sent events)
//! that a shown page keeps open. The box looks at its poll interval and sends only what
//! changed: `status` carries the whole status (the JSON of `GET /api/status`), `log` says
//! the log grew, and `alive` comes every [`ALIVE_EVERY_SECONDS`] when nothing else does, so
//! the page can tell a box gone quiet from one with nothing to say.

pub const PATH: &str = "/api/status/events";
pub const STATUS: &str = "status";
pub const LOG: &str = "log";
pub const ALIVE: &str = "alive";
pub const ALIVE_EVERY_SECONDS: u64 = 25;
/// How soon a browser opens the stream again after it broke.
pub const RECONNECT_AFTER_MS: u64 = 2_000;

/// Nothing heard for this long, not even `alive`: the box is taken for unreachable.
pub const QUIET_LIMIT_MS: f64 = (2 * ALIVE_EVERY_SECONDS * 1000 + 5_000) as f64;

#[cfg(feature = "hydrate")]
pub use browser::{StatusEvent, StatusEvents};

/// A status's tag: FNV-1a of its JSON (as `GET /api/status` and the stream carry it). It is
/// the status answer's `ETag`, and the page carries the tag of the status it was rendered
/// with, so the browser tells a status it hears from the one it shows without decoding either.
pub fn status_tag(json: &[u8]) -> String {
    let hash = json.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{ALIVE, LOG, PATH, STATUS};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{EventSource, MessageEvent};

    pub enum StatusEvent {
        /// The status, by its tag ([`super::status_tag`]).
        Status(String),
        LogGrew,
        Alive,
        /// The stream broke.
        Broken,
    }

    /// The open stream; closed when dropped.
    pub struct StatusEvents {
        source: EventSource,
        _listeners: Vec<Closure<dyn FnMut(web_sys::Event)>>,
    }

    impl StatusEvents {
        pub fn open(on_event: impl Fn(StatusEvent) + 'static) -> Result<Self, JsValue> {
            let source = EventSource::new(PATH)?;
            let on_event = std::rc::Rc::new(on_event);
            let mut listeners = Vec::new();
            for name in [STATUS, LOG, ALIVE, "error"] {
                let on_event = on_event.clone();
                let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |event| {
                    if let Some(event) = decode(name, &event) {
                        on_event(event);
                    }
                });
                source.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())?;
                listeners.push(listener);
            }
            Ok(Self {
                source,
                _listeners: listeners,
            })
        }
    }

    impl StatusEvents {
        /// The browser will not open this stream again by itself.
        pub fn gave_up(&self) -> bool {
            self.source.ready_state() == EventSource::CLOSED
        }
    }

    impl Drop for StatusEvents {
        fn drop(&mut self) {
            self.source.close();
        }
    }

    fn decode(name: &str, event: &web_sys::Event) -> Option<StatusEvent> {
        Some(match name {
            // The page only needs to know whether it shows this status: it comes rendered.
            STATUS => StatusEvent::Status(
                event
                    .dyn_ref::<MessageEvent>()
                    .and_then(|message| message.data().as_string())
                    .map(|json| super::status_tag(json.as_bytes()))?,
            ),
            LOG => StatusEvent::LogGrew,
            ALIVE => StatusEvent::Alive,
            _ => StatusEvent::Broken,
        })
    }
}
