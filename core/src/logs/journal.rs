//! Log lines for systemd's journal. Run as a service, the box's standard output is the
//! journal's stream: each line then starts with its priority as `<N>` (sd-daemon(3)), so
//! `journalctl -p warning` finds the box's warnings, and carries no time of its own, since the
//! journal stamps every line.

use std::fmt;
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;
use std::sync::OnceLock;
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::{DefaultFields, Writer};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

/// Whether standard output is the journal's stream: systemd says which one in
/// `JOURNAL_STREAM` (`<device>:<inode>`), and a child process or a redirection that inherited
/// the variable has another. Looked at once: the logger and `main` both ask.
pub fn stdout_is_journal() -> bool {
    static IS: OnceLock<bool> = OnceLock::new();
    *IS.get_or_init(stdout_names_journal_stream)
}

fn stdout_names_journal_stream() -> bool {
    let Some(stream) = std::env::var_os("JOURNAL_STREAM") else {
        return false;
    };
    let Ok(stdout) = std::io::stdout().as_fd().try_clone_to_owned() else {
        return false;
    };
    match std::fs::File::from(stdout).metadata() {
        Ok(metadata) => names(&stream.to_string_lossy(), metadata.dev(), metadata.ino()),
        Err(_) => false,
    }
}

/// Whether `JOURNAL_STREAM`'s value names the file with `device` and `inode`.
fn names(journal_stream: &str, device: u64, inode: u64) -> bool {
    journal_stream
        .split_once(':')
        .and_then(|(d, i)| Some((d.parse::<u64>().ok()?, i.parse::<u64>().ok()?)))
        == Some((device, inode))
}

/// The syslog priority of a level, as the journal reads it.
fn priority(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 3,
        Level::WARN => 4,
        Level::INFO => 6,
        _ => 7,
    }
}

/// The layer that writes standard output for the journal: plain text, one line an event.
pub fn layer<S>() -> tracing_subscriber::fmt::Layer<S, DefaultFields, JournalLine>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .event_format(JournalLine)
}

/// `<priority>target: span{fields}: message fields`.
pub struct JournalLine;

impl<S, N> FormatEvent<S, N> for JournalLine
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let metadata = event.metadata();
        write!(
            writer,
            "<{}>{}: ",
            priority(metadata.level()),
            metadata.target()
        )?;
        if let Some(scope) = ctx.event_scope() {
            for span in scope.from_root() {
                write!(writer, "{}", span.name())?;
                if let Some(fields) = span.extensions().get::<FormattedFields<N>>() {
                    if !fields.is_empty() {
                        write!(writer, "{{{fields}}}")?;
                    }
                }
                write!(writer, ": ")?;
            }
        }
        ctx.format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use tracing_subscriber::layer::SubscriberExt;

    #[test]
    fn journal_stream_names_one_device_and_inode() {
        assert!(names("2049:1234", 2049, 1234));
        assert!(!names("2049:1234", 2049, 1235));
        assert!(!names("2049:1234", 2050, 1234));
        assert!(!names("2049", 2049, 0));
        assert!(!names("", 0, 0));
        assert!(!names("a:b", 0, 0));
    }

    #[test]
    fn levels_map_to_syslog_priorities() {
        assert_eq!(priority(&Level::ERROR), 3);
        assert_eq!(priority(&Level::WARN), 4);
        assert_eq!(priority(&Level::INFO), 6);
        assert_eq!(priority(&Level::DEBUG), 7);
        assert_eq!(priority(&Level::TRACE), 7);
    }

    /// What a subscriber with `JournalLine` writes.
    #[derive(Clone, Default)]
    struct Written(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Written {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_line_carries_its_priority_its_spans_and_no_time() {
        let written = Written::default();
        let into = written.clone();
        let subscriber =
            tracing_subscriber::registry().with(layer().with_writer(move || into.clone()));
        tracing::subscriber::with_default(subscriber, || {
            let span = tracing::info_span!("renewal", attempt = 2);
            let _entered = span.enter();
            tracing::warn!(
                code = "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS",
                "the server said no"
            );
            tracing::error!("down");
        });
        let text = String::from_utf8(written.0.lock().unwrap().clone()).unwrap();
        assert_eq!(
            text,
            "<4>iotbox_core::logs::journal::tests: renewal{attempt=2}: the server said no \
             code=\"ERR_IOT_HTTPS_LOAD_REQUEST_STATUS\"\n\
             <3>iotbox_core::logs::journal::tests: renewal{attempt=2}: down\n"
        );
    }
}
