//! Where the box's log lines go: the terminal (or systemd's journal), and the rotated log
//! file the homepage offers for download. The filter can be replaced while the box runs (the
//! log level form).

use super::log_file::LogFile;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, reload, EnvFilter};

/// The lines waiting to be written to the log file, at most.
const QUEUED_LINES: usize = 4_096;

/// Applies a filter to the running logger.
pub type LogReloader = Box<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// `RUST_LOG`, when set, or else `info` until the saved levels are applied.
fn initial_filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))
}

/// The terminal only: for the local certificate authority.
pub fn to_terminal() {
    tracing_subscriber::registry()
        .with(initial_filter())
        .with(fmt::layer())
        .init();
}

/// The terminal and `log_file`. Keep the guard: it flushes the last lines at exit.
pub fn to_terminal_and_file(log_file: &LogFile) -> (LogReloader, WorkerGuard) {
    // The default queue holds 128,000 lines, allocated whole at start: 4 MiB of the box's
    // memory for a log that writes a few lines a minute. Past this many lines waiting, as
    // under a flood of debug lines, lines are dropped rather than slowing the box down.
    let (file_writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(QUEUED_LINES)
        .finish(log_file.writer());
    let (filter, handle) = reload::Layer::new(initial_filter());
    // Colours only on a terminal: span fields are formatted once and shared by both layers,
    // so colours meant for the terminal would land in the file too.
    let colours = std::io::IsTerminal::is_terminal(&std::io::stdout());
    // Under systemd, standard output is the journal, which wants priorities and no times.
    let journal = super::journal::stdout_is_journal();
    tracing_subscriber::registry()
        .with(filter)
        .with((!journal).then(|| fmt::layer().with_ansi(colours)))
        .with(journal.then(super::journal::layer))
        .with(fmt::layer().with_ansi(false).with_writer(file_writer))
        .init();
    let reloader: LogReloader = Box::new(move |directives| {
        let filter = EnvFilter::try_new(directives).map_err(|e| e.to_string())?;
        handle.reload(filter).map_err(|e| e.to_string())
    });
    (reloader, guard)
}
