//! Wrong passwords slow a client down: after each one it must wait twice as long as after
//! the one before (1 s, 2 s, 4 s, ... up to 5 min) before the box checks another. A right
//! password clears it. Per client address, so one guesser does not lock the owner out of
//! another device; the number of clients remembered is bounded.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

const FIRST_WAIT: Duration = Duration::from_secs(1);
const MAX_WAIT: Duration = Duration::from_secs(300);
const MAX_CLIENTS: usize = 1024;

struct Slowed {
    failures: u32,
    not_before: Instant,
}

#[derive(Default)]
pub struct Throttle {
    clients: HashMap<Option<IpAddr>, Slowed>,
}

impl Throttle {
    /// How long `client` must still wait before its next try, if it must.
    pub fn wait_for(&self, client: Option<IpAddr>, now: Instant) -> Option<Duration> {
        let slowed = self.clients.get(&client)?;
        (slowed.not_before > now).then(|| slowed.not_before - now)
    }

    pub fn failed(&mut self, client: Option<IpAddr>, now: Instant) {
        if self.clients.len() >= MAX_CLIENTS && !self.clients.contains_key(&client) {
            self.clients.retain(|_, slowed| slowed.not_before > now);
            if self.clients.len() >= MAX_CLIENTS {
                // Full of clients still waiting: forget the one that waits the least.
                if let Some(key) = self
                    .clients
                    .iter()
                    .min_by_key(|(_, slowed)| slowed.not_before)
                    .map(|(key, _)| *key)
                {
                    self.clients.remove(&key);
                }
            }
        }
        let slowed = self.clients.entry(client).or_insert(Slowed {
            failures: 0,
            not_before: now,
        });
        slowed.failures = slowed.failures.saturating_add(1);
        let wait = FIRST_WAIT
            .saturating_mul(1 << (slowed.failures - 1).min(16))
            .min(MAX_WAIT);
        slowed.not_before = now + wait;
    }

    pub fn succeeded(&mut self, client: Option<IpAddr>) {
        self.clients.remove(&client);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_wrong_password_doubles_the_wait_of_that_client_only() {
        let now = Instant::now();
        let guesser = Some("192.168.1.66".parse().unwrap());
        let owner = Some("192.168.1.10".parse().unwrap());
        let mut throttle = Throttle::default();
        assert_eq!(throttle.wait_for(guesser, now), None);
        let mut waits = Vec::new();
        for _ in 0..12 {
            throttle.failed(guesser, now);
            waits.push(throttle.wait_for(guesser, now).unwrap().as_secs());
        }
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
        assert_eq!(throttle.wait_for(owner, now), None);
        assert_eq!(throttle.wait_for(guesser, now + MAX_WAIT), None);
        throttle.succeeded(guesser);
        throttle.failed(guesser, now);
        assert_eq!(throttle.wait_for(guesser, now), Some(FIRST_WAIT));
    }

    #[test]
    fn remembers_a_bounded_number_of_clients() {
        let now = Instant::now();
        let mut throttle = Throttle::default();
        for n in 0..(MAX_CLIENTS as u32 + 10) {
            throttle.failed(Some(IpAddr::from(n.to_be_bytes())), now);
        }
        assert_eq!(throttle.clients.len(), MAX_CLIENTS);
    }
}
