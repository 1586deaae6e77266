//! `POST /api/csp-report`: what a browser says the page's Content-Security-Policy blocked.
//! Logged as a warning of the web server, so a page the policy breaks shows in the logs; at
//! most [`REPORTS_PER_MINUTE`] a minute, so that nobody on the network can flush the log
//! with reports.

use axum::body::Bytes;
use axum::http::StatusCode;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

/// Reports are small; anything larger is cut before it is logged.
const LOGGED_BYTES: usize = 2048;
/// The largest report body the box reads at all.
pub const MAX_REPORT_BYTES: usize = 16 * 1024;
const REPORTS_PER_MINUTE: u32 = 10;

/// The reports of the current minute.
struct Window {
    started: Instant,
    logged: u32,
    dropped: u64,
}

static WINDOW: LazyLock<Mutex<Window>> = LazyLock::new(|| {
    Mutex::new(Window {
        started: Instant::now(),
        logged: 0,
        dropped: 0,
    })
});

pub async fn receive(body: Bytes) -> StatusCode {
    let admitted = admit(
        &mut WINDOW.lock().unwrap_or_else(|e| e.into_inner()),
        Instant::now(),
    );
    if let Some(dropped_before) = admitted {
        let text = String::from_utf8_lossy(&body[..body.len().min(LOGGED_BYTES)]);
        let report: String = text.chars().filter(|c| !c.is_control()).collect();
        tracing::warn!(
            %report,
            dropped_before,
            "the browser blocked part of the page (Content-Security-Policy)"
        );
    }
    StatusCode::NO_CONTENT
}

/// Whether a report that came at `now` is logged; if it is, how many were dropped before it.
fn admit(window: &mut Window, now: Instant) -> Option<u64> {
    if now.duration_since(window.started) >= Duration::from_secs(60) {
        window.started = now;
        window.logged = 0;
    }
    if window.logged >= REPORTS_PER_MINUTE {
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
    fn logs_ten_a_minute_and_counts_the_rest() {
        let start = Instant::now();
        let mut window = Window {
            started: start,
            logged: 0,
            dropped: 0,
        };
        let admitted: Vec<_> = (0..15).map(|_| admit(&mut window, start)).collect();
        assert_eq!(admitted.iter().filter(|a| a.is_some()).count(), 10);
        assert_eq!(
            admit(&mut window, start + Duration::from_secs(60)),
            Some(5),
            "the next minute's first report says how many were dropped"
        );
    }
}
