//! Crash points, for tests only (the `crash-points` feature, never in a release): places in
//! the writing of files where `IOTBOX_CRASH_AT=<point>` kills the box, as a power cut or an
//! out-of-memory kill would, to show that it comes back with whole files whatever the
//! instant. `IOTBOX_PANIC_AT=<point>` makes the code that reaches the point panic instead,
//! as a bug would, and [`injected_failure`] with `IOTBOX_FAIL_AT=<point>` makes a step fail
//! as a failing disk would. Without the feature, a point compiles to nothing.

/// `crash_point!("switched current")`, or `crash_point!("wrote", path)` for the point
/// `wrote <file name>`: the box dies here when `IOTBOX_CRASH_AT` names the point.
macro_rules! crash_point {
    ($point:literal) => {
        #[cfg(feature = "crash-points")]
        $crate::files::crash_point::reached($point);
    };
    ($action:literal, $path:expr) => {
        #[cfg(feature = "crash-points")]
        $crate::files::crash_point::reached(&format!(
            "{} {}",
            $action,
            $path.file_name().unwrap_or_default().to_string_lossy()
        ));
    };
}
pub(crate) use crash_point;

#[cfg(feature = "crash-points")]
pub fn reached(point: &str) {
    use std::sync::LazyLock;
    static AT: LazyLock<Option<String>> = LazyLock::new(|| std::env::var("IOTBOX_CRASH_AT").ok());
    static PANIC_AT: LazyLock<Option<String>> =
        LazyLock::new(|| std::env::var("IOTBOX_PANIC_AT").ok());
    if PANIC_AT.as_deref() == Some(point) {
        panic!("a test asked for a panic at \"{point}\"");
    }
    if AT.as_deref() == Some(point) {
        // SAFETY: a signal to this very process; nothing after it runs, as in a real kill.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
    }
}

/// An I/O error at `point` when `IOTBOX_FAIL_AT` names it (tests only); `Ok` otherwise.
#[cfg(feature = "crash-points")]
pub fn injected_failure(point: &str) -> std::io::Result<()> {
    use std::sync::LazyLock;
    static FAIL_AT: LazyLock<Option<String>> =
        LazyLock::new(|| std::env::var("IOTBOX_FAIL_AT").ok());
    match FAIL_AT.as_deref() == Some(point) {
        true => Err(std::io::Error::other(format!("a test failed \"{point}\""))),
        false => Ok(()),
    }
}

#[cfg(not(feature = "crash-points"))]
pub fn injected_failure(_point: &str) -> std::io::Result<()> {
    Ok(())
}
