//! A budget of log lines for what anyone on the network can cause (refused requests, wrong
//! passwords, policy reports): at most a few a minute each, so that nobody can flush the
//! rotated log, which holds only 6 MiB, and with it what the owner needs to read. The next
//! line logged says how many were left out.

use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Budget {
    per_minute: u32,
    window: Mutex<Option<Window>>,
}

struct Window {
    started: Instant,
    logged: u32,
    dropped: u64,
}

impl Budget {
    pub const fn per_minute(per_minute: u32) -> Self {
        Self {
            per_minute,
            window: Mutex::new(None),
        }
    }

    /// Whether a line may be logged now; if so, how many were left out before it.
    pub fn admit(&self) -> Option<u64> {
        let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
        admit(&mut window, self.per_minute, Instant::now())
    }
}

fn admit(window: &mut Option<Window>, per_minute: u32, now: Instant) -> Option<u64> {
    let window = match window {
        Some(window) if now.duration_since(window.started) < Duration::from_secs(60) => window,
        _ => window.insert(Window {
            started: now,
            logged: 0,
            dropped: window.as_ref().map_or(0, |old| old.dropped),
        }),
    };
    if window.logged >= per_minute {
        window.dropped += 1;
        return None;
    }
    window.logged += 1;
    Some(std::mem::take(&mut window.dropped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_so_many_a_minute_and_counts_the_rest() {
        let start = Instant::now();
        let mut window = None;
        let admitted: Vec<_> = (0..15).map(|_| admit(&mut window, 10, start)).collect();
        assert_eq!(admitted.iter().filter(|a| a.is_some()).count(), 10);
        assert_eq!(
            admit(&mut window, 10, start + Duration::from_secs(60)),
            Some(5),
            "the next minute's first line says how many were left out"
        );
    }
}
