//! The status as open pages see it, looked at once for the whole box and fanned out: one
//! task looks every poll interval while any stream is open (and at once when one opens),
//! off the async runtime, and each stream only picks the copy for its visitor, logged in or
//! not. A look's cost is the same for one open page or six hundred.

use crate::iot_box::IotBox;
use crate::logs::log_file::LogVersion;
use crate::settings::admin::PasswordHashText;
use app::model::box_status::BoxStatus;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// Looks never come closer together than this, however many streams open at once.
const LOOKS_AT_MOST_EVERY: Duration = Duration::from_millis(200);

/// One look at the box.
pub struct Look {
    /// The status as JSON, for a visitor who is not logged in, and for one who is.
    pub status: [String; 2],
    /// The password sessions must have been opened with to count as logged in.
    pub password_hash: Option<PasswordHashText>,
    pub log: Option<LogVersion>,
}

impl Look {
    /// The status for a visitor, logged in or not.
    pub fn status(&self, logged_in: bool) -> &str {
        &self.status[usize::from(logged_in)]
    }
}

pub struct StatusFeed {
    looks: watch::Sender<Option<Arc<Look>>>,
    look_now: Notify,
}

impl StatusFeed {
    /// Starts the task that looks, for the life of the box.
    pub fn start(iot_box: Arc<IotBox>) -> Arc<Self> {
        let feed = Arc::new(Self {
            looks: watch::Sender::new(None),
            look_now: Notify::new(),
        });
        tokio::spawn(feed.clone().look_while_watched(iot_box));
        feed
    }

    /// The looks from now on, the first one fresh.
    pub fn watch(&self) -> watch::Receiver<Option<Arc<Look>>> {
        let mut looks = self.looks.subscribe();
        looks.mark_unchanged();
        self.look_now.notify_one();
        looks
    }

    async fn look_while_watched(self: Arc<Self>, iot_box: Arc<IotBox>) {
        let every = iot_box.poll_interval();
        loop {
            tokio::select! {
                () = self.look_now.notified() => {}
                () = tokio::time::sleep(every) => {}
            }
            if self.looks.receiver_count() == 0 {
                continue;
            }
            let iot_box = iot_box.clone();
            if let Ok(look) = tokio::task::spawn_blocking(move || look(&iot_box)).await {
                self.looks.send_replace(Some(Arc::new(look)));
            }
            tokio::time::sleep(LOOKS_AT_MOST_EVERY).await;
        }
    }
}

/// Blocking: the status reads the settings and certificate files' stamps.
fn look(iot_box: &IotBox) -> Look {
    let mut status = iot_box.status(None);
    let password_hash = iot_box.access().password_hash();
    let out = as_json(&status);
    status.access.logged_in = status.access.password_set;
    Look {
        status: [out, as_json(&status)],
        password_hash,
        log: iot_box.log_version(),
    }
}

fn as_json(status: &BoxStatus) -> String {
    // A status always serialises; an empty one would only be ignored by the page.
    serde_json::to_string(status).unwrap_or_default()
}
