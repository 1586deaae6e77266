//! Who is logged in: random tokens, held by the browser in an `HttpOnly` cookie, kept here
//! only as their SHA-256, and closed after [`SESSION_LIFETIME`].

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
    /// SHA-256 of each open token, and when it closes.
    open: HashMap<String, Instant>,
}

impl Sessions {
    pub fn open(&mut self, now: Instant) -> Token {
        let mut secret = [0u8; 32];
        OsRng.fill_bytes(&mut secret);
        let token: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        self.open.retain(|_, closes| *closes > now);
        if self.open.len() >= MAX_SESSIONS {
            if let Some(oldest) = self
                .open
                .iter()
                .min_by_key(|(_, closes)| **closes)
                .map(|(key, _)| key.clone())
            {
                self.open.remove(&oldest);
            }
        }
        self.open
            .insert(sha256_hex(token.as_bytes()), now + SESSION_LIFETIME);
        token
    }

    pub fn is_open(&self, token: &str, now: Instant) -> bool {
        self.open
            .get(&sha256_hex(token.as_bytes()))
            .is_some_and(|closes| *closes > now)
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
        let token = sessions.open(now);
        assert_eq!(token.len(), 64);
        assert!(sessions.is_open(&token, now));
        assert!(!sessions.is_open("guess", now));
        assert!(!sessions.is_open(&token, now + SESSION_LIFETIME));
        let other = sessions.open(now);
        assert_ne!(token, other);
        sessions.close(&other);
        assert!(!sessions.is_open(&other, now));
        sessions.close_all();
        assert!(!sessions.is_open(&token, now));
    }

    #[test]
    fn logins_cannot_fill_the_memory() {
        let now = Instant::now();
        let mut sessions = Sessions::default();
        let first = sessions.open(now);
        for second in 1..=100 {
            sessions.open(now + Duration::from_secs(second));
        }
        assert_eq!(sessions.open.len(), MAX_SESSIONS);
        assert!(!sessions.is_open(&first, now), "the oldest closed first");
    }
}
