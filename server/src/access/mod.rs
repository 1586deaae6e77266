//! The optional admin password, and who is logged in: the password's hash lives in the
//! settings file (`[admin] password_hash`), sessions and the slow-down of wrong passwords live
//! in memory (a restart logs everybody out). Forgetting the password is recoverable by
//! whoever can reach the box's files: delete the `password_hash` line.

pub mod password;
pub mod sessions;
pub mod throttle;

use crate::settings::file::SettingsFile;
use app::model::access::PasswordProblem;
use app::model::form_error::ChangeError;
use sessions::{Sessions, Token};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;
use throttle::Throttle;

pub struct Access {
    settings: Arc<SettingsFile>,
    sessions: Mutex<Sessions>,
    throttle: Mutex<Throttle>,
}

impl Access {
    pub fn new(settings: Arc<SettingsFile>) -> Self {
        Self {
            settings,
            sessions: Mutex::new(Sessions::default()),
            throttle: Mutex::new(Throttle::default()),
        }
    }

    /// Blocking: a `stat` of the settings file.
    pub fn password_set(&self) -> bool {
        self.settings.current().0.admin.password_hash.is_some()
    }

    /// Whether `token` (from the session cookie) is a session still open.
    pub fn logged_in(&self, token: &str) -> bool {
        lock(&self.sessions).is_open(token, Instant::now())
    }

    /// Checks the password (slowed down per client after a wrong one) and opens a session.
    /// Blocking: Argon2 takes a moment, by design.
    pub fn log_in(&self, password: &str, client: Option<IpAddr>) -> Result<Token, ChangeError> {
        let now = Instant::now();
        if let Some(wait) = lock(&self.throttle).wait_for(client, now) {
            return Err(ChangeError::Password(PasswordProblem::SlowDown {
                seconds: wait.as_secs().max(1),
            }));
        }
        let hash = self.settings.current().0.admin.password_hash;
        let right = hash.is_some_and(|hash| password::verify(password, &hash));
        if !right {
            lock(&self.throttle).failed(client, now);
            tracing::warn!(client = ?client, "wrong admin password");
            return Err(ChangeError::Password(PasswordProblem::Wrong));
        }
        lock(&self.throttle).succeeded(client);
        tracing::info!(client = ?client, "logged in");
        Ok(lock(&self.sessions).open(now))
    }

    pub fn log_out(&self, token: &str) {
        lock(&self.sessions).close(token);
    }

    /// Sets (or changes) the password; every other session ends, and the one who set it is
    /// logged in. Blocking: hashes, writes and syncs.
    pub fn set_password(&self, password: &str, confirmation: &str) -> Result<Token, ChangeError> {
        password::check(password, confirmation).map_err(ChangeError::Password)?;
        let hash = password::hash(password);
        self.settings
            .update(|settings| settings.admin.password_hash = Some(hash))
            .map_err(|error| ChangeError::Settings(error.to_string()))?;
        tracing::info!("admin password set");
        let mut sessions = lock(&self.sessions);
        sessions.close_all();
        Ok(sessions.open(Instant::now()))
    }

    /// Removes the password: anyone on the network may change the box again.
    pub fn remove_password(&self) -> Result<(), ChangeError> {
        self.settings
            .update(|settings| settings.admin.password_hash = None)
            .map_err(|error| ChangeError::Settings(error.to_string()))?;
        tracing::info!("admin password removed");
        lock(&self.sessions).close_all();
        Ok(())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
