//! The status, looked at once for the whole box and shared: one task looks, off the async
//! runtime, every poll interval while a stream is open, and whenever a poll, a page render
//! or a newly opened stream asks; each of those then only picks the copy for its visitor,
//! logged in or not. Whatever asks while a look is under way waits for the next look, one
//! that began after it asked, so no answer is older than its request (a form's change is
//! always in the status asked for after it). Six hundred open pages, or two hundred polls at
//! once, cost one look at a time.
//!
//! A poll or a render may also take the last look as it is ([`StatusFeed::recent`]), if no
//! change was asked of the box since that look began and it is younger than
//! [`REUSED_FOR`]: a form's change is still in every status asked for after it, what changes
//! by itself (the certificate's life, the clock) shows at most that late, and a busy box
//! answers its polls without a trip to a blocking thread for each.

use app::api::status_events::status_tag;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;
use iotbox_core::blocking::off_the_runtime;
use iotbox_core::iot_box::IotBox;
use iotbox_core::logs::log_file::LogVersion;
use iotbox_core::settings::admin::PasswordHashText;
use model::box_status::BoxStatus;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{watch, Notify};

/// How long an asker waits for a look before looking by itself.
const LOOK_WAIT: Duration = Duration::from_secs(5);

/// How long a look may be taken again as it is, when no change was asked since it began.
pub const REUSED_FOR: Duration = Duration::from_millis(50);

/// One look at the box.
pub struct Look {
    /// The status for a visitor who is not logged in.
    pub status: BoxStatus,
    /// The same as JSON, for a visitor who is not logged in, and for one who is, with its
    /// entity tag: worked out once, for every poll that takes this look.
    json: [Bytes; 2],
    tags: [HeaderValue; 2],
    /// The password sessions must have been opened with to count as logged in.
    password_hash: Option<PasswordHashText>,
    pub log: Option<LogVersion>,
    /// The asks this look answers: every one numbered up to this.
    answers: u64,
    /// The changes asked of the box before this look began, and when it began.
    changes_before: u64,
    began: Instant,
}

impl Look {
    /// The status as JSON, for a visitor logged in or not.
    pub fn json(&self, logged_in: bool) -> &Bytes {
        &self.json[usize::from(logged_in)]
    }

    /// Whether `session` is open with the password this look saw: which copy of the status
    /// its visitor gets.
    pub fn logged_in(&self, iot_box: &IotBox, session: Option<&str>) -> bool {
        iot_box
            .access()
            .session_open(session, self.password_hash.as_ref())
    }

    /// Whether `other` saw the box as this look did, with no change asked in between: what
    /// is rendered from one may be given for the other.
    pub fn same_state(&self, other: &Look) -> bool {
        self.changes_before == other.changes_before
            && self.json == other.json
            && self.password_hash == other.password_hash
            && self.log == other.log
    }

    /// The same JSON as an answer's body, and its entity tag.
    pub fn answer(&self, logged_in: bool) -> (Bytes, HeaderValue) {
        let which = usize::from(logged_in);
        (self.json[which].clone(), self.tags[which].clone())
    }
}

pub struct StatusFeed {
    looks: watch::Sender<Option<Arc<Look>>>,
    look_now: Notify,
    /// Asks numbered so far.
    asked: AtomicU64,
    /// Changes asked of the box so far (every request that may change something, once done).
    changes: AtomicU64,
}

impl StatusFeed {
    /// Starts the task that looks, for the life of the box.
    pub fn start(iot_box: Arc<IotBox>) -> Arc<Self> {
        let feed = Arc::new(Self {
            looks: watch::Sender::new(None),
            look_now: Notify::new(),
            asked: AtomicU64::new(0),
            changes: AtomicU64::new(0),
        });
        tokio::spawn(feed.clone().look_when_asked(iot_box));
        feed
    }

    /// The looks from now on; a fresh one comes first.
    pub fn watch(&self) -> watch::Receiver<Option<Arc<Look>>> {
        let mut looks = self.looks.subscribe();
        looks.mark_unchanged();
        self.ask();
        looks
    }

    /// The last look if it can be taken as it is (see [`reusable`]), else a fresh one;
    /// `None` if none came within [`LOOK_WAIT`], and the asker looks by itself.
    pub async fn recent(&self) -> Option<Arc<Look>> {
        let last = self.last();
        match last {
            Some(look)
                if reusable(
                    look.changes_before,
                    look.began.elapsed(),
                    self.changes.load(Ordering::SeqCst),
                ) =>
            {
                Some(look)
            }
            _ => tokio::time::timeout(LOOK_WAIT, self.fresh())
                .await
                .ok()
                .flatten(),
        }
    }

    /// The last look, however old.
    pub fn last(&self) -> Option<Arc<Look>> {
        self.looks.borrow().clone()
    }

    /// Notes a change asked of the box, once it is done: no look that began before it is
    /// taken again as it is.
    pub fn changed(&self) {
        self.changes.fetch_add(1, Ordering::SeqCst);
    }

    /// A look that began after this call; `None` only if the looking task is gone.
    pub async fn fresh(&self) -> Option<Arc<Look>> {
        let mut looks = self.looks.subscribe();
        let asked = self.ask();
        let look = looks
            .wait_for(|look| look.as_ref().is_some_and(|look| look.answers >= asked))
            .await
            .ok()?;
        look.clone()
    }

    fn ask(&self) -> u64 {
        let asked = self.asked.fetch_add(1, Ordering::SeqCst) + 1;
        self.look_now.notify_one();
        asked
    }

    async fn look_when_asked(self: Arc<Self>, iot_box: Arc<IotBox>) {
        let every = iot_box.poll_interval();
        let mut answered = 0;
        loop {
            tokio::select! {
                () = self.look_now.notified() => {}
                () = tokio::time::sleep(every) => {}
            }
            // Read before looking: an ask made after this waits for the next look, and a
            // change noted after this makes the look one not to take again.
            let asked = self.asked.load(Ordering::SeqCst);
            let changes_before = self.changes.load(Ordering::SeqCst);
            let began = Instant::now();
            if asked == answered && self.looks.receiver_count() == 0 {
                continue;
            }
            let iot_box = iot_box.clone();
            // A failed look is logged, and the next one tried at the next tick.
            let looked = off_the_runtime(move || look(&iot_box, asked, changes_before, began));
            if let Ok(look) = looked.await {
                answered = asked;
                self.looks.send_replace(Some(Arc::new(look)));
            }
        }
    }
}

/// Whether a look can be taken again as it is: no change asked of the box since it began, and
/// younger than [`REUSED_FOR`].
fn reusable(changes_before: u64, age: Duration, changes_now: u64) -> bool {
    changes_before == changes_now && age <= REUSED_FOR
}

/// Every request but a read may change the box: noted once it is answered, so that the
/// status asked for after it comes from a look that began after the change.
pub async fn note_changes(
    State(feed): State<Arc<StatusFeed>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    // GET, HEAD, OPTIONS (and TRACE, which no route answers) change nothing.
    let reads = request.method().is_safe();
    let response = next.run(request).await;
    if !reads {
        feed.changed();
    }
    response
}

/// Blocking: the status reads the settings and certificate files' stamps.
fn look(iot_box: &IotBox, answers: u64, changes_before: u64, began: Instant) -> Look {
    let status = iot_box.status(None);
    let password_hash = iot_box.access().password_hash();
    let mut logged_in = status.clone();
    logged_in.access.logged_in = logged_in.access.password_set;
    let json = [as_json(&status), as_json(&logged_in)];
    Look {
        tags: [entity_tag(&json[0]), entity_tag(&json[1])],
        json,
        status,
        password_hash,
        log: iot_box.log_version(),
        answers,
        changes_before,
        began,
    }
}

/// Blocking. The status for one visitor as JSON, and its entity tag, looked at by the asker
/// itself: when no shared look came in time.
pub fn look_alone(iot_box: &IotBox, session: Option<&str>) -> (Bytes, HeaderValue) {
    let json = as_json(&iot_box.status(session));
    let tag = entity_tag(&json);
    (json, tag)
}

fn as_json(status: &BoxStatus) -> Bytes {
    // A status always serialises; an empty one would only be ignored by the page.
    serde_json::to_vec(status).unwrap_or_default().into()
}

/// The status's tag, the one the page carries (`status_tag`); weak: the same JSON may go out
/// compressed one way or another.
fn entity_tag(json: &Bytes) -> HeaderValue {
    HeaderValue::from_str(&format!("W/\"{}\"", status_tag(json)))
        .unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_is_weak_and_of_the_json() {
        let tag = entity_tag(&Bytes::from_static(b"{\"a\":1}"));
        assert!(tag.to_str().unwrap().starts_with("W/\""));
        assert_eq!(tag, entity_tag(&Bytes::from_static(b"{\"a\":1}")));
        assert_ne!(tag, entity_tag(&Bytes::from_static(b"{\"a\":2}")));
    }

    #[test]
    fn a_look_is_taken_again_only_while_young_and_with_no_change_since_it_began() {
        let young = REUSED_FOR / 2;
        assert!(reusable(3, young, 3));
        assert!(reusable(3, REUSED_FOR, 3));
        // A change asked since the look began: never taken again, however young.
        assert!(!reusable(3, Duration::ZERO, 4));
        // Too old: what changes by itself may have changed.
        assert!(!reusable(3, REUSED_FOR + Duration::from_millis(1), 3));
    }
}
