//! The homepage's live status, pushed rather than polled: `GET /api/status/events` is an
//! event stream the page keeps open while it is shown (`app::api::status_events`). The box
//! looks at the status and the log at its poll interval and sends only what changed, so an
//! open page costs one `alive` event every [`ALIVE_EVERY_SECONDS`] when nothing does.
//! The stream ends when the box stops, so that it never holds a graceful shutdown open.

use crate::iot_box::IotBox;
use crate::logs::log_file::LogVersion;
use app::api::status_events::{ALIVE, ALIVE_EVERY_SECONDS, LOG, RECONNECT_AFTER_MS, STATUS};
use app::api::RequestAccess;
use app::model::box_status::BoxStatus;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Extension;
use futures_util::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

pub use app::api::status_events::PATH;

/// What events that carry nothing carry: browsers drop an event without a `data` line.
const NO_DATA: &str = "1";

pub async fn answer(
    State(iot_box): State<Arc<IotBox>>,
    access: Option<Extension<RequestAccess>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let session = access.and_then(|Extension(access)| access.session);
    let every = iot_box.poll_interval();
    let looks = stream::unfold(
        (iot_box, session, Sent::default(), true),
        move |(iot_box, session, mut sent, first)| async move {
            if !first {
                tokio::select! {
                    () = tokio::time::sleep(every) => {},
                    () = crate::shutdown::stopping() => return None,
                }
            }
            let looked = {
                let (iot_box, session) = (iot_box.clone(), session.clone());
                tokio::task::spawn_blocking(move || Look {
                    status: as_json(&iot_box.status(session.as_deref())),
                    log: iot_box.log_version(),
                })
                .await
                .ok()?
            };
            let events = sent.news(&looked);
            let events: Vec<Event> = events.into_iter().map(|news| news.event(first)).collect();
            Some((events, (iot_box, session, sent, false)))
        },
    );
    Sse::new(looks.flat_map(|events| stream::iter(events.into_iter().map(Ok)))).keep_alive(
        KeepAlive::new()
            .interval(Duration::from_secs(ALIVE_EVERY_SECONDS))
            .event(Event::default().event(ALIVE).data(NO_DATA)),
    )
}

/// What the box found at one look.
struct Look {
    /// The status, as `GET /api/status` answers it.
    status: String,
    log: Option<LogVersion>,
}

fn as_json(status: &BoxStatus) -> String {
    // A status always serialises; an empty one would only be ignored by the page.
    serde_json::to_string(status).unwrap_or_default()
}

/// What this stream last sent, to send only what changed.
#[derive(Default)]
struct Sent {
    status: Option<String>,
    log: Option<LogVersion>,
}

/// One thing the page should know.
#[derive(Debug, PartialEq)]
enum News {
    Status(String),
    /// The log grew (or rotated): a log view shown reads its lines again.
    LogGrew,
}

impl Sent {
    /// The status on a stream's first look, then whatever differs from the last look.
    fn news(&mut self, looked: &Look) -> Vec<News> {
        let first = self.status.is_none();
        let mut news = Vec::new();
        if self.status.as_ref() != Some(&looked.status) {
            self.status = Some(looked.status.clone());
            news.push(News::Status(looked.status.clone()));
        }
        // The first look only sets where the log stands: the page was rendered with its lines.
        if looked.log != self.log {
            if !first {
                news.push(News::LogGrew);
            }
            self.log = looked.log;
        }
        news
    }
}

impl News {
    fn event(self, first: bool) -> Event {
        let event = match self {
            Self::Status(json) => Event::default().event(STATUS).data(json),
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

    fn look(status: &str, log: Option<LogVersion>) -> Look {
        let status = status.to_string();
        Look { status, log }
    }

    #[test]
    fn the_first_look_sends_the_status_and_later_ones_only_what_changed() {
        let (one, two) = (LogVersion::at(10), LogVersion::at(20));
        let mut sent = Sent::default();
        let first = sent.news(&look("box", Some(one)));
        assert_eq!(first, vec![News::Status("box".into())]);
        assert_eq!(sent.news(&look("box", Some(one))), vec![]);
        assert_eq!(sent.news(&look("box", Some(two))), vec![News::LogGrew]);
        let renamed = sent.news(&look("renamed", Some(two)));
        assert_eq!(renamed, vec![News::Status("renamed".into())]);
        let both = sent.news(&look("box", None));
        assert_eq!(both, vec![News::Status("box".into()), News::LogGrew]);
    }
}
