//! A box under strace, for the tests that read its system calls.

use super::*;

/// `command` run under strace, following threads, with file descriptors shown as paths,
/// tracing `calls` (strace's `trace=` list) into `trace`.
pub fn traced(command: &Command, trace: &Path, calls: &str) -> Command {
    let mut traced = Command::new("strace");
    traced
        .args(["-f", "-qq", "-y", "-e", "signal=none", "-e"])
        .arg(format!("trace={calls}"))
        .arg("-o")
        .arg(trace)
        .arg(command.get_program())
        .args(command.get_args())
        .env_clear()
        .envs(command.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    traced
}

/// Stops the box as systemd does (SIGTERM), and waits for strace to finish its trace: the
/// box is strace's child.
pub fn stop_under_strace(strace: u32) {
    let children = std::fs::read_to_string(format!("/proc/{strace}/task/{strace}/children"))
        .expect("strace's children");
    let traced: i32 = children
        .split_whitespace()
        .next()
        .and_then(|pid| pid.parse().ok())
        .expect("the box under strace");
    // SAFETY: a signal to the box this test started.
    assert_eq!(unsafe { libc::kill(traced, libc::SIGTERM) }, 0);
    wait_for(
        "strace to end with the box",
        Duration::from_secs(15),
        || {
            let stat = std::fs::read_to_string(format!("/proc/{strace}/stat")).ok()?;
            // The state follows the command's name in parentheses; Z: ended, not yet reaped.
            let state = stat.rsplit_once(") ")?.1.chars().next()?;
            (state == 'Z').then_some(())
        },
    );
}
