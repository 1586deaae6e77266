//! How many connections the box holds: at most so many in all, and at most so many for one
//! device, so that one machine on the shop's network cannot take every slot (as nginx's
//! `limit_conn`). A connection past either cap is closed as soon as it is accepted: the
//! kernel's queue never fills, and everyone else is still answered.

use iotbox_core::client_device::device;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};

/// The caps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caps {
    pub total: usize,
    pub per_device: usize,
}

/// Why a connection was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Every slot is taken.
    Full,
    /// This device holds its share already.
    DeviceFull,
}

pub struct ConnectionSlots {
    caps: Caps,
    held: Arc<Mutex<Held>>,
}

#[derive(Default)]
struct Held {
    total: usize,
    by_device: HashMap<IpAddr, usize>,
}

/// A connection's slot, given back when it is dropped.
pub struct Slot {
    held: Arc<Mutex<Held>>,
    device: IpAddr,
}

impl ConnectionSlots {
    pub fn new(caps: Caps) -> Self {
        Self {
            caps,
            held: Arc::default(),
        }
    }

    pub fn caps(&self) -> Caps {
        self.caps
    }

    /// A slot for a connection from `client`, if the caps allow one.
    pub fn take(&self, client: IpAddr) -> Result<Slot, Refused> {
        let device = device(client);
        let mut held = lock(&self.held);
        if held.total >= self.caps.total {
            return Err(Refused::Full);
        }
        let of_device = held.by_device.entry(device).or_default();
        if *of_device >= self.caps.per_device {
            return Err(Refused::DeviceFull);
        }
        *of_device += 1;
        held.total += 1;
        Ok(Slot {
            held: self.held.clone(),
            device,
        })
    }

    /// Connections held now.
    pub fn held(&self) -> usize {
        lock(&self.held).total
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut held = lock(&self.held);
        held.total -= 1;
        if let Some(of_device) = held.by_device.get_mut(&self.device) {
            *of_device -= 1;
            if *of_device == 0 {
                // Only devices holding a connection are remembered: the map stays bounded.
                held.by_device.remove(&self.device);
            }
        }
        if held.total == 0 {
            iotbox_core::memory::no_connections_left();
        }
    }
}

fn lock(held: &Mutex<Held>) -> MutexGuard<'_, Held> {
    held.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn one_device_gets_its_share_and_others_still_get_in() {
        let slots = ConnectionSlots::new(Caps {
            total: 5,
            per_device: 2,
        });
        let first: Vec<Slot> = (0..2)
            .map(|_| slots.take(ip("10.0.0.1")).unwrap())
            .collect();
        assert_eq!(slots.take(ip("10.0.0.1")).err(), Some(Refused::DeviceFull));
        // The same IPv6 /64 is the same device.
        let _v6 = slots.take(ip("2001:db8::1")).unwrap();
        let _v6b = slots.take(ip("2001:db8::2")).unwrap();
        assert_eq!(
            slots.take(ip("2001:db8::3")).err(),
            Some(Refused::DeviceFull)
        );
        let _other = slots.take(ip("10.0.0.2")).unwrap();
        assert_eq!(slots.held(), 5);
        assert_eq!(slots.take(ip("10.0.0.3")).err(), Some(Refused::Full));
        drop(first);
        assert_eq!(slots.held(), 3);
        let _again = slots.take(ip("10.0.0.1")).unwrap();
        let _third = slots.take(ip("10.0.0.3")).unwrap();
    }

    #[test]
    fn devices_are_forgotten_once_they_hold_nothing() {
        let slots = ConnectionSlots::new(Caps {
            total: 10,
            per_device: 1,
        });
        for n in 0..100u8 {
            drop(slots.take(IpAddr::from([10, 0, 0, n])).unwrap());
        }
        assert_eq!(slots.held(), 0);
        assert!(lock(&slots.held).by_device.is_empty());
    }
}
