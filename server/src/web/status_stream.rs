//! The homepage's live status, pushed rather than polled: `GET /api/status/events` is an
//! event stream the page keeps open while it is shown (`app::api::status_events`). The box
//! looks at the status and the log once for every stream (`status_feed`) and each stream
//! sends only what changed, so an open page costs one `alive` event every
//! [`ALIVE_EVERY_SECONDS`] when nothing does. At most [`MOST_STREAMS`] are open at once; past
//! that the answer is `503` and the page tries again later. The stream ends when the box
//! stops, so that it never holds a graceful shutdown open.

use super::status_feed::{Look, StatusFeed};
use app::api::status_events::{ALIVE, ALIVE_EVERY_SECONDS, LOG, RECONNECT_AFTER_MS, STATUS};
use app::api::RequestAccess;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::stream::{self, StreamExt};
use iotbox_core::iot_box::IotBox;
use iotbox_core::logs::log_file::LogVersion;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

pub use app::api::status_events::PATH;

/// What events that carry nothing carry: browsers drop an event without a `data` line.
const NO_DATA: &str = "1";
/// Streams open at once, at most: each holds a connection and a little memory.
pub const MOST_STREAMS: usize = 640;
/// What a page turned away is told to wait before trying again, in seconds.
const RETRY_AFTER_SECONDS: u32 = 10;

/// What the streams share: the box, the looks, and the places left.
#[derive(Clone)]
pub struct Streams {
    iot_box: Arc<IotBox>,
    feed: Arc<StatusFeed>,
    places: Arc<Semaphore>,
}

impl Streams {
    pub fn new(iot_box: Arc<IotBox>, feed: Arc<StatusFeed>) -> Self {
        Self {
            feed,
            iot_box,
            places: Arc::new(Semaphore::new(MOST_STREAMS)),
        }
    }
}

pub async fn answer(
    State(streams): State<Streams>,
    access: Option<Extension<RequestAccess>>,
) -> Response {
    let Ok(place) = streams.places.clone().try_acquire_owned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, RETRY_AFTER_SECONDS.to_string())],
            "Too many pages are following the box; try again in a moment.",
        )
            .into_response();
    };
    let session = access.and_then(|Extension(access)| access.session);
    let every = streams.iot_box.poll_interval();
    let looks = streams.feed.watch();
    let events = stream::unfold((looks, Sent::default()), move |(mut looks, mut sent)| {
        let (iot_box, session) = (streams.iot_box.clone(), session.clone());
        async move {
            // A new look, or the poll interval: a session may have ended meanwhile.
            let first = sent.status.is_none();
            tokio::select! {
                changed = looks.changed() => changed.ok()?,
                () = tokio::time::sleep(every), if !first => {}
                () = iotbox_core::shutdown::stopping() => return None,
            }
            let look: Option<Arc<Look>> = looks.borrow_and_update().clone();
            let events = match look {
                Some(look) => {
                    let logged_in = look.logged_in(&iot_box, session.as_deref());
                    let news = sent.news(look.json(logged_in), look.log);
                    news.into_iter().map(|news| news.event(first)).collect()
                }
                None => Vec::new(),
            };
            Some((events, (looks, sent)))
        }
    });
    let events = events.flat_map(move |events| {
        // The place is given back when the stream ends.
        let _place = &place;
        stream::iter(events.into_iter().map(Ok::<_, Infallible>))
    });
    Sse::new(events)
        .keep_alive(
            KeepAlive::new()
                .interval(Duration::from_secs(ALIVE_EVERY_SECONDS))
                .event(Event::default().event(ALIVE).data(NO_DATA)),
        )
        .into_response()
}

/// What this stream last sent, to send only what changed: the look's own JSON, shared with
/// every stream that sent it, not a copy per stream.
#[derive(Default)]
struct Sent {
    status: Option<Bytes>,
    log: Option<LogVersion>,
}

/// One thing the page should know.
#[derive(Debug, PartialEq)]
enum News {
    Status(Bytes),
    /// The log grew (or rotated): a log view shown reads its lines again.
    LogGrew,
}

impl Sent {
    /// The status on a stream's first look, then whatever differs from the last look.
    fn news(&mut self, status: &Bytes, log: Option<LogVersion>) -> Vec<News> {
        let first = self.status.is_none();
        let mut news = Vec::new();
        if self.status.as_ref() != Some(status) {
            self.status = Some(status.clone());
            news.push(News::Status(status.clone()));
        }
        // The first look only sets where the log stands: the page was rendered with its lines.
        if log != self.log {
            if !first {
                news.push(News::LogGrew);
            }
            self.log = log;
        }
        news
    }
}

impl News {
    fn event(self, first: bool) -> Event {
        let event = match self {
            // The look's JSON is serde's: always UTF-8.
            Self::Status(json) => Event::default()
                .event(STATUS)
                .data(std::str::from_utf8(&json).unwrap_or_default()),
            Self::LogGrew => Event::default().event(LOG).data(NO_DATA),
        };
        // Said once: how soon the browser comes back after the stream broke.
        if first {
            event.retry(Duration::from_millis(RECONNECT_AFTER_MS))
        } else {
            event
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &'static str) -> Bytes {
        Bytes::from_static(text.as_bytes())
    }

    #[test]
    fn the_first_look_sends_the_status_and_later_ones_only_what_changed() {
        // Two versions of a real log file, as the box reads them: a line apart.
        let data = tempfile::tempdir().unwrap();
        let log = iotbox_core::logs::log_file::LogFile::open(data.path()).unwrap();
        let version_after = |line: &str| {
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log.current_path())
                .unwrap();
            file.write_all(line.as_bytes()).unwrap();
            log.version().unwrap()
        };
        let (one, two) = (version_after("one\n"), version_after("two\n"));
        let mut sent = Sent::default();
        let first = sent.news(&json("box"), Some(one));
        assert_eq!(first, vec![News::Status(json("box"))]);
        assert_eq!(sent.news(&json("box"), Some(one)), vec![]);
        assert_eq!(sent.news(&json("box"), Some(two)), vec![News::LogGrew]);
        let renamed = sent.news(&json("renamed"), Some(two));
        assert_eq!(renamed, vec![News::Status(json("renamed"))]);
        let both = sent.news(&json("box"), None);
        assert_eq!(both, vec![News::Status(json("box")), News::LogGrew]);
    }
}
