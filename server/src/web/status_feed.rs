//! The status, looked at once for the whole box and shared: one task looks, off the async
//! runtime, every poll interval while a stream is open, and whenever a poll, a page render
//! or a newly opened stream asks; each of those then only picks the copy for its visitor,
//! logged in or not. Whatever asks while a look is under way waits for the next look, one
//! that began after it asked, so no answer is older than its request (a form's change is
//! always in the status asked for after it). Six hundred open pages, or two hundred polls at
//! once, cost one look at a time.

use iotbox_core::blocking::off_the_runtime;
use iotbox_core::iot_box::IotBox;
use iotbox_core::logs::log_file::LogVersion;
use iotbox_core::settings::admin::PasswordHashText;
use model::box_status::BoxStatus;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{watch, Notify};

/// One look at the box.
pub struct Look {
    /// The status for a visitor who is not logged in.
    pub status: BoxStatus,
    /// The same as JSON, for a visitor who is not logged in, and for one who is.
    json: [String; 2],
    /// The password sessions must have been opened with to count as logged in.
    pub password_hash: Option<PasswordHashText>,
    pub log: Option<LogVersion>,
    /// The asks this look answers: every one numbered up to this.
    answers: u64,
}

impl Look {
    /// The status as JSON, for a visitor logged in or not.
    pub fn json(&self, logged_in: bool) -> &str {
        &self.json[usize::from(logged_in)]
    }
}

pub struct StatusFeed {
    looks: watch::Sender<Option<Arc<Look>>>,
    look_now: Notify,
    /// Asks numbered so far.
    asked: AtomicU64,
}

impl StatusFeed {
    /// Starts the task that looks, for the life of the box.
    pub fn start(iot_box: Arc<IotBox>) -> Arc<Self> {
        let feed = Arc::new(Self {
            looks: watch::Sender::new(None),
            look_now: Notify::new(),
            asked: AtomicU64::new(0),
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
            // Read before looking: an ask made after this waits for the next look.
            let asked = self.asked.load(Ordering::SeqCst);
            if asked == answered && self.looks.receiver_count() == 0 {
                continue;
            }
            let iot_box = iot_box.clone();
            // A failed look is logged, and the next one tried at the next tick.
            if let Ok(look) = off_the_runtime(move || look(&iot_box, asked)).await {
                answered = asked;
                self.looks.send_replace(Some(Arc::new(look)));
            }
        }
    }
}

/// Blocking: the status reads the settings and certificate files' stamps.
fn look(iot_box: &IotBox, answers: u64) -> Look {
    let status = iot_box.status(None);
    let password_hash = iot_box.access().password_hash();
    let mut logged_in = status.clone();
    logged_in.access.logged_in = logged_in.access.password_set;
    Look {
        json: [as_json(&status), as_json(&logged_in)],
        status,
        password_hash,
        log: iot_box.log_version(),
        answers,
    }
}

fn as_json(status: &BoxStatus) -> String {
    // A status always serialises; an empty one would only be ignored by the page.
    serde_json::to_string(status).unwrap_or_default()
}
