//! Wrong passwords slow a guesser down. Each device waits twice as long after each wrong
//! password (1 s, 2 s, 4 s, ... up to 5 min) before the box checks another, counted from
//! the end of the check; and however many devices (or addresses) guess, the box checks at
//! most [`FAILURES_PER_MINUTE`] wrong passwords a minute in all. A try takes its place
//! before its password is checked, so parallel tries cannot slip in. A right password
//! clears its device.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

const FIRST_WAIT: Duration = Duration::from_secs(1);
const MAX_WAIT: Duration = Duration::from_secs(300);
const MAX_CLIENTS: usize = 1024;
pub const FAILURES_PER_MINUTE: usize = 20;

struct Slowed {
    failures: u32,
    not_before: Instant,
}

#[derive(Default)]
pub struct Throttle {
    clients: HashMap<IpAddr, Slowed>,
    /// When the recent wrong passwords were, anyone's.
    recent_failures: Vec<Instant>,
}

/// One device, as far as addresses tell; no address at all is one unknown device.
fn device(client: Option<IpAddr>) -> IpAddr {
    client.map_or(IpAddr::from([0, 0, 0, 0]), crate::client_device::device)
}

impl Throttle {
    /// Takes a try for `client` at `now`, or says how long it must still wait.
    pub fn begin(&mut self, client: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        self.recent_failures
            .retain(|at| now.duration_since(*at) < Duration::from_secs(60));
        if self.recent_failures.len() >= FAILURES_PER_MINUTE {
            let oldest = self.recent_failures[0];
            return Err(Duration::from_secs(60).saturating_sub(now.duration_since(oldest)));
        }
        let key = device(client);
        if let Some(slowed) = self.clients.get(&key) {
            if slowed.not_before > now {
                return Err(slowed.not_before - now);
            }
        }
        self.make_room(key, now);
        let slowed = self.clients.entry(key).or_insert(Slowed {
            failures: 0,
            not_before: now,
        });
        // Held as if the try failed, until it is known: a parallel try waits.
        slowed.not_before = now + wait_after(slowed.failures + 1);
        Ok(())
    }

    /// The password was wrong; the wait counts from now, the end of the check.
    pub fn failed(&mut self, client: Option<IpAddr>, now: Instant) {
        self.recent_failures.push(now);
        let slowed = self.clients.entry(device(client)).or_insert(Slowed {
            failures: 0,
            not_before: now,
        });
        slowed.failures = slowed.failures.saturating_add(1);
        slowed.not_before = now + wait_after(slowed.failures);
    }

    pub fn succeeded(&mut self, client: Option<IpAddr>) {
        self.clients.remove(&device(client));
    }

    fn make_room(&mut self, key: IpAddr, now: Instant) {
        if self.clients.len() < MAX_CLIENTS || self.clients.contains_key(&key) {
            return;
        }
        self.clients.retain(|_, slowed| slowed.not_before > now);
        if self.clients.len() >= MAX_CLIENTS {
            if let Some(waits_least) = self
                .clients
                .iter()
                .min_by_key(|(_, slowed)| slowed.not_before)
                .map(|(key, _)| *key)
            {
                self.clients.remove(&waits_least);
            }
        }
    }
}

fn wait_after(failures: u32) -> Duration {
    FIRST_WAIT
        .saturating_mul(1 << failures.saturating_sub(1).min(16))
        .min(MAX_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUESSER: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(192, 168, 1, 66)));
    const OWNER: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(192, 168, 1, 10)));

    #[test]
    fn each_wrong_password_doubles_the_wait_of_that_device_only() {
        let now = Instant::now();
        let mut throttle = Throttle::default();
        let mut waits = Vec::new();
        let mut at = now;
        for _ in 0..12 {
            throttle.begin(GUESSER, at).unwrap();
            throttle.failed(GUESSER, at);
            let wait = throttle.begin(GUESSER, at).unwrap_err();
            waits.push(wait.as_secs());
            at += wait;
            // Past the global budget only because the test guesses fast: start it afresh.
            throttle.recent_failures.clear();
        }
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
        assert_eq!(throttle.begin(OWNER, now), Ok(()));
        throttle.succeeded(GUESSER);
        assert_eq!(throttle.begin(GUESSER, at), Ok(()));
    }

    #[test]
    fn a_try_holds_its_place_so_parallel_tries_wait() {
        let now = Instant::now();
        let mut throttle = Throttle::default();
        throttle.begin(GUESSER, now).unwrap();
        assert!(
            throttle.begin(GUESSER, now).is_err(),
            "while the first is checked"
        );
        throttle.succeeded(GUESSER);
        assert_eq!(throttle.begin(GUESSER, now), Ok(()));
    }

    #[test]
    fn many_addresses_share_one_budget_and_a_v6_network_is_one_device() {
        let now = Instant::now();
        let mut throttle = Throttle::default();
        for n in 0..FAILURES_PER_MINUTE as u32 {
            let client = Some(IpAddr::from(n.to_be_bytes()));
            throttle.begin(client, now).unwrap();
            throttle.failed(client, now);
        }
        assert!(
            throttle.begin(OWNER, now).is_err(),
            "the box checks no more this minute"
        );
        assert_eq!(throttle.begin(OWNER, now + Duration::from_secs(60)), Ok(()));

        let mut throttle = Throttle::default();
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let other: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        throttle.begin(Some(one), now).unwrap();
        throttle.failed(Some(one), now);
        assert!(throttle.begin(Some(other), now).is_err());
    }

    #[test]
    fn remembers_a_bounded_number_of_devices() {
        let now = Instant::now();
        let mut throttle = Throttle::default();
        for n in 0..(MAX_CLIENTS as u32 + 10) {
            let _ = throttle.begin(Some(IpAddr::from(n.to_be_bytes())), now);
        }
        assert_eq!(throttle.clients.len(), MAX_CLIENTS);
    }
}
