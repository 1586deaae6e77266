//! The box under systemd (`Type=notify` with `WatchdogSec=`, as the Debian package's unit
//! runs it): it says it is ready once it listens, that it is stopping when it is, and that it
//! is alive at half the watchdog's interval, but only while its async runtime and its
//! blocking threads still answer. A box hung on a lock, or with every blocking thread stuck
//! on a dead disk, stops saying so, and systemd restarts it. Outside systemd (no
//! `NOTIFY_SOCKET`), all of this does nothing.

use sd_notify::NotifyState;
use std::time::Duration;

/// The box listens: systemd starts what waits for it.
pub fn ready() {
    notify(&[NotifyState::Ready]);
}

/// The box was asked to stop and is finishing its answers.
pub fn stopping() {
    notify(&[NotifyState::Stopping]);
}

/// For the box's life: pings the watchdog when systemd asked for one.
pub async fn keep_alive() {
    let Some(interval) = sd_notify::watchdog_enabled() else {
        return;
    };
    let every = ping_every(interval);
    tracing::info!(every = ?every, "pinging systemd's watchdog");
    loop {
        tokio::time::sleep(every).await;
        // A blocking thread runs every file read and write of the box: if none answers
        // within the interval, the box is stuck, and the missing ping says so.
        let probe = tokio::task::spawn_blocking(|| ());
        if tokio::time::timeout(every, probe)
            .await
            .is_ok_and(|done| done.is_ok())
        {
            notify(&[NotifyState::Watchdog]);
        } else {
            tracing::error!(
                "no blocking thread answered within {every:?}: the watchdog is not pinged"
            );
        }
    }
}

/// Half the watchdog's interval, as systemd's documentation advises, and never so often
/// that the pings become work.
fn ping_every(interval: Duration) -> Duration {
    (interval / 2).max(Duration::from_millis(100))
}

fn notify(states: &[NotifyState]) {
    if let Err(error) = sd_notify::notify(states) {
        tracing::warn!(%error, "could not tell systemd");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pings_at_half_the_interval_and_never_more_than_ten_times_a_second() {
        assert_eq!(ping_every(Duration::from_secs(30)), Duration::from_secs(15));
        assert_eq!(
            ping_every(Duration::from_millis(50)),
            Duration::from_millis(100)
        );
    }
}
