//! The box as systemd runs it (`Type=notify`, `WatchdogSec=`): systemd's notification socket
//! hears `READY=1` once the box listens, `WATCHDOG=1` at half the watchdog's interval, and
//! `STOPPING=1` when the box is asked to stop.

mod support;

use std::os::unix::net::UnixDatagram;
use std::time::{Duration, Instant};
use support::*;

/// The messages the box sent to the socket within `limit`, until `enough` holds.
fn listen(
    socket: &UnixDatagram,
    limit: Duration,
    enough: impl Fn(&[String]) -> bool,
) -> Vec<String> {
    let start = Instant::now();
    let mut messages = Vec::new();
    let mut buffer = [0u8; 512];
    while !enough(&messages) {
        let left = limit.saturating_sub(start.elapsed());
        assert!(!left.is_zero(), "only {messages:?} within {limit:?}");
        socket.set_read_timeout(Some(left)).unwrap();
        if let Ok(length) = socket.recv(&mut buffer) {
            messages.extend(
                String::from_utf8_lossy(&buffer[..length])
                    .lines()
                    .map(String::from),
            );
        }
    }
    messages
}

fn count(messages: &[String], message: &str) -> usize {
    messages.iter().filter(|m| *m == message).count()
}

#[test]
fn says_ready_once_listening_then_alive_at_half_the_watchdog_interval_then_stopping() {
    let sockets = tempfile::tempdir().unwrap();
    let path = sockets.path().join("notify");
    let socket = UnixDatagram::bind(&path).unwrap();
    let closed = ClosedPort::new();
    let data_dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let iot_box = IotBox::start_configured(
        data_dir,
        &format!("https://127.0.0.1:{}/x509", closed.port),
        None,
        &[],
        |command| {
            command
                .env("NOTIFY_SOCKET", &path)
                .env("WATCHDOG_USEC", "1000000");
        },
    );
    // `start_configured` returns once the box printed where it listens: READY=1 comes with it.
    let ready = listen(&socket, Duration::from_secs(5), |m| {
        count(m, "READY=1") == 1
    });
    assert_eq!(ready, ["READY=1"]);

    let pings = listen(&socket, Duration::from_secs(10), |m| {
        count(m, "WATCHDOG=1") == 4
    });
    assert_eq!(pings, ["WATCHDOG=1"; 4]);
    // Half of 1 s apart: four pings take 2 s at least (and well under the 10 s allowed).
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(2),
        "four pings in {elapsed:?}"
    );

    // SAFETY: a signal to the box this test started.
    assert_eq!(
        unsafe { libc::kill(iot_box.pid() as i32, libc::SIGTERM) },
        0
    );
    let stopping = listen(&socket, Duration::from_secs(5), |m| {
        count(m, "STOPPING=1") == 1
    });
    assert!(stopping.contains(&"STOPPING=1".to_string()), "{stopping:?}");
}
