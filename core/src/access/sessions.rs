//! Who is logged in: random tokens, held by the browser in an `HttpOnly` cookie, kept here
//! only as their SHA-256, each bound to the password it was opened with (a new password in
//! the settings file ends them all), and closed after [`SESSION_LIFETIME`].

use crate::certificate::fingerprint::sha256_hex;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long a login lasts: a working day.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(8 * 3600);
/// More open sessions than this close the oldest: logins cannot fill the memory.
const MAX_SESSIONS: usize = 64;

/// A session's secret, for the cookie: 256 random bits in hex.
pub type Token = String;

#[derive(Default)]
pub struct Sessions {
    /// SHA-256 of each open token: when it closes, and the password hash it was opened with.
    open: HashMap<String, (Instant, String)>,
}

impl Sessions {
    /// `password` is the password hash in force (its text).
    pub fn open(&mut self, now: Instant, password: &str) -> Token {
        let mut secret = [0u8; 32];
        OsRng.fill_bytes(&mut secret);
        let token: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        self.open.retain(|_, (closes, _)| *closes > now);
        if self.open.len() >= MAX_SESSIONS {
            if let Some(oldest) = self
                .open
                .iter()
                .min_by_key(|(_, (closes, _))| *closes)
                .map(|(key, _)| key.clone())
            {
                self.open.remove(&oldest);
            }
        }
        self.open.insert(
            sha256_hex(token.as_bytes()),
            (now + SESSION_LIFETIME, password.to_string()),
        );
        token
    }

    /// Open, and opened with `password`, the password hash in force now.
    pub fn is_open(&self, token: &str, now: Instant, password: &str) -> bool {
        self.open
            .get(&sha256_hex(token.as_bytes()))
            .is_some_and(|(closes, opened_with)| *closes > now && opened_with == password)
    }

    pub fn close(&mut self, token: &str) {
        self.open.remove(&sha256_hex(token.as_bytes()));
    }

    pub fn close_all(&mut self) {
        self.open.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_open_until_it_closes_or_expires() {
        let now = Instant::now();
        let mut sessions = Sessions::default();
        let token = sessions.open(now, "hash");
        assert_eq!(token.len(), 64);
        assert!(sessions.is_open(&token, now, "hash"));
        assert!(!sessions.is_open("guess", now, "hash"));
        assert!(!sessions.is_open(&token, now + SESSION_LIFETIME, "hash"));
        assert!(
            !sessions.is_open(&token, now, "another hash"),
            "a new password in the file ends it"
        );
        let other = sessions.open(now, "hash");
        assert_ne!(token, other);
        sessions.close(&other);
        assert!(!sessions.is_open(&other, now, "hash"));
        sessions.close_all();
        assert!(!sessions.is_open(&token, now, "hash"));
    }

    #[test]
    fn logins_cannot_fill_the_memory() {
        let now = Instant::now();
        let mut sessions = Sessions::default();
        let first = sessions.open(now, "hash");
        for second in 1..=100 {
            sessions.open(now + Duration::from_secs(second), "hash");
        }
        assert_eq!(sessions.open.len(), MAX_SESSIONS);
        assert!(
            !sessions.is_open(&first, now, "hash"),
            "the oldest closed first"
        );
    }
}
