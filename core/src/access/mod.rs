//! The optional admin password, and who is logged in: the password's hash lives in the
//! settings file (`[admin] password_hash`), sessions and the slow-down of wrong passwords live
//! in memory (a restart logs everybody out). Forgetting the password is recoverable by
//! whoever can reach the box's files: delete the `password_hash` line.

pub mod password;
pub mod sessions;
pub mod throttle;

use crate::logs::budget::Budget;
use crate::settings::admin::PasswordHashText;
use crate::settings::file::SettingsFile;
use model::access::PasswordProblem;
use model::change_error::ChangeError;
use sessions::{Sessions, Token};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use throttle::Throttle;

/// Wrong passwords are logged, but a guesser cannot fill the log with them.
static WRONG_LOGGED: Budget = Budget::per_minute(10);

pub struct Access {
    settings: Arc<SettingsFile>,
    sessions: Mutex<Sessions>,
    throttle: Mutex<Throttle>,
    /// One password check at a time: each takes 19 MiB and a core for a moment, and a flood
    /// of logins must not take the box's memory.
    checking: Mutex<()>,
}

impl Access {
    pub fn new(settings: Arc<SettingsFile>) -> Self {
        Self {
            settings,
            sessions: Mutex::new(Sessions::default()),
            throttle: Mutex::new(Throttle::default()),
            checking: Mutex::new(()),
        }
    }

    /// Blocking: a `stat` of the settings file.
    pub fn password_hash(&self) -> Option<PasswordHashText> {
        self.settings.current().0.admin.password_hash
    }

    /// Whether a request with the session `token` may change the box: always while no
    /// password is set. Blocking, as [`Self::password_hash`].
    pub fn allows_changes(&self, token: Option<&str>) -> bool {
        match self.password_hash() {
            None => true,
            Some(hash) => self.is_open(token, &hash),
        }
    }

    /// Whether `token` is a session open under the password in force. Blocking.
    pub fn logged_in(&self, token: Option<&str>) -> bool {
        self.session_open(token, self.password_hash().as_ref())
    }

    /// Whether `token` is a session open under `hash`, the password read a moment ago; not
    /// blocking.
    pub fn session_open(&self, token: Option<&str>, hash: Option<&PasswordHashText>) -> bool {
        hash.is_some_and(|hash| self.is_open(token, hash))
    }

    fn is_open(&self, token: Option<&str>, hash: &PasswordHashText) -> bool {
        token
            .is_some_and(|token| lock(&self.sessions).is_open(token, Instant::now(), hash.as_str()))
    }

    /// Checks the password and opens a session. Blocking: Argon2 takes a moment, by design.
    pub fn log_in(&self, password: &str, client: Option<IpAddr>) -> Result<Token, ChangeError> {
        let hash = self.password_hash();
        self.check(password, hash.as_ref(), client)
            .map_err(ChangeError::Password)?;
        tracing::info!(client = ?client, "logged in");
        let hash = hash.expect("a right password has a hash");
        Ok(lock(&self.sessions).open(Instant::now(), hash.as_str()))
    }

    pub fn log_out(&self, token: &str) {
        lock(&self.sessions).close(token);
    }

    /// Sets (or, given the `current` one, changes) the password; every other session ends,
    /// and the one who set it is logged in. Blocking: hashes, writes and syncs.
    pub fn set_password(
        &self,
        current: Option<&str>,
        password: &str,
        confirmation: &str,
        client: Option<IpAddr>,
    ) -> Result<Token, ChangeError> {
        password::check(password, confirmation).map_err(ChangeError::Password)?;
        if let Some(hash) = self.password_hash() {
            self.check(current.unwrap_or_default(), Some(&hash), client)
                .map_err(|problem| ChangeError::Password(current_wrong(problem)))?;
        }
        let hash = password::hash(password);
        self.settings
            .update(|settings| settings.admin.password_hash = Some(hash.clone()))
            .map_err(|error| ChangeError::Settings(error.to_string()))?;
        tracing::info!("admin password set");
        let mut sessions = lock(&self.sessions);
        sessions.close_all();
        Ok(sessions.open(Instant::now(), hash.as_str()))
    }

    /// Removes the password, given the `current` one (through the same slow-down as a
    /// login: a session left open at the counter is not enough): anyone on the network may
    /// change the box again. Blocking, as [`Self::set_password`].
    pub fn remove_password(
        &self,
        current: &str,
        client: Option<IpAddr>,
    ) -> Result<(), ChangeError> {
        let Some(hash) = self.password_hash() else {
            return Ok(());
        };
        self.check(current, Some(&hash), client)
            .map_err(|problem| ChangeError::Password(current_wrong(problem)))?;
        self.settings
            .update(|settings| settings.admin.password_hash = None)
            .map_err(|error| ChangeError::Settings(error.to_string()))?;
        tracing::info!("admin password removed");
        lock(&self.sessions).close_all();
        Ok(())
    }

    /// Checks `password` against `hash`, one check at a time, slowed down after wrong ones.
    fn check(
        &self,
        password: &str,
        hash: Option<&PasswordHashText>,
        client: Option<IpAddr>,
    ) -> Result<(), PasswordProblem> {
        let slow_down = |wait: Duration| PasswordProblem::SlowDown {
            seconds: wait.as_secs().max(1),
        };
        lock(&self.throttle)
            .begin(client, Instant::now())
            .map_err(slow_down)?;
        let Ok(checking) = self.checking.try_lock() else {
            // Another check is under way; this try keeps its place in the slow-down.
            return Err(slow_down(Duration::from_secs(1)));
        };
        let right = hash.is_some_and(|hash| password::verify(password, hash));
        drop(checking);
        let mut throttle = lock(&self.throttle);
        if right {
            throttle.succeeded(client);
            return Ok(());
        }
        throttle.failed(client, Instant::now());
        if let Some(dropped_before) = WRONG_LOGGED.admit() {
            tracing::warn!(client = ?client, dropped_before, "wrong admin password");
        }
        Err(PasswordProblem::Wrong)
    }
}

/// A wrong password, typed where the current one is asked for.
fn current_wrong(problem: PasswordProblem) -> PasswordProblem {
    match problem {
        PasswordProblem::Wrong => PasswordProblem::CurrentWrong,
        other => other,
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
