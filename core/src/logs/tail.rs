//! The last lines of the log, for the live view: read from the end of the log file (and of
//! the one before it, just after a rotation), parsed into time, level, target and message,
//! and filtered by level. Reads at most [`TAIL_BYTES`] a file, whatever the log's size.

use super::log_file::LogFile;
use model::log_level::Level;
use model::log_view::LogLine;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// How much of the end of each file is read.
pub const TAIL_BYTES: u64 = 128 * 1024;

/// The last `limit` lines at `level` or more severe, oldest first.
pub fn tail(log_file: &LogFile, level: Level, limit: usize) -> io::Result<Vec<LogLine>> {
    let mut lines = parse(&read_end(&log_file.current_path())?);
    if lines.len() < limit {
        if let Ok(previous) = read_end(&log_file.previous_path()) {
            let mut older = parse(&previous);
            older.append(&mut lines);
            lines = older;
        }
    }
    let shown: Vec<LogLine> = lines
        .into_iter()
        .filter(|line| severity(line.level) <= severity(level))
        .collect();
    let skip = shown.len().saturating_sub(limit);
    Ok(shown.into_iter().skip(skip).collect())
}

fn read_end(path: &Path) -> io::Result<String> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(String::new()),
        Err(error) => return Err(error),
    };
    let length = file.metadata()?.len();
    let start = length.saturating_sub(TAIL_BYTES);
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    // A read from the middle of the file starts mid-line: that piece is dropped.
    Ok(if start > 0 {
        text.split_once('\n')
            .map_or(String::new(), |(_, rest)| rest.to_string())
    } else {
        text
    })
}

/// Lines as the file layer writes them, `2026-11-27T01:29:04.463369Z  INFO target: message`;
/// a line without that start continues the message before it.
fn parse(text: &str) -> Vec<LogLine> {
    let mut lines: Vec<LogLine> = Vec::new();
    for raw in text.lines().filter(|raw| !raw.trim().is_empty()) {
        match parse_line(raw) {
            Some(line) => lines.push(line),
            None => {
                if let Some(last) = lines.last_mut() {
                    last.message.push('\n');
                    last.message.push_str(raw);
                }
            }
        }
    }
    lines
}

fn parse_line(raw: &str) -> Option<LogLine> {
    let (at, rest) = raw.split_once(' ')?;
    if !at.ends_with('Z') || !at.contains('T') {
        return None;
    }
    let rest = rest.trim_start();
    let (word, rest) = rest.split_once(' ')?;
    let level = match word {
        "ERROR" => Level::Error,
        "WARN" => Level::Warning,
        "INFO" => Level::Info,
        // Trace lines only appear with RUST_LOG set, in development: shown as debug.
        "DEBUG" | "TRACE" => Level::Debug,
        _ => return None,
    };
    let (target, message) = rest.split_once(": ").unwrap_or(("", rest));
    Some(LogLine {
        at: at.to_string(),
        level,
        target: target.to_string(),
        message: message.to_string(),
    })
}

/// Lower is more severe.
fn severity(level: Level) -> u8 {
    match level {
        Level::Error => 0,
        Level::Warning => 1,
        Level::Info => 2,
        Level::Debug => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\
2026-11-27T01:29:04.463369Z  INFO iotbox: starting data_dir=/var/lib/iotbox
2026-11-27T01:29:05.608404Z DEBUG iotbox_core::certificate::engine: asking
2026-11-27T01:29:05.757536Z  WARN iotbox_core::certificate::engine: no certificate code=ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 503
  caused by: the server
2026-11-27T01:29:06.000000Z ERROR iotbox::web: the log file could not be read
";

    #[test]
    fn reads_time_level_target_and_message_with_its_continuation() {
        let lines = parse(LOG);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0].at, "2026-11-27T01:29:04.463369Z");
        assert_eq!(lines[0].level, Level::Info);
        assert_eq!(lines[0].target, "iotbox");
        assert_eq!(lines[0].message, "starting data_dir=/var/lib/iotbox");
        assert_eq!(lines[2].level, Level::Warning);
        assert!(lines[2].message.ends_with("503\n  caused by: the server"));
        assert_eq!(lines[3].level, Level::Error);
    }

    #[test]
    fn filters_by_level_and_keeps_the_last_lines() {
        let dir = tempfile::tempdir().unwrap();
        let log_file = LogFile::open(dir.path()).unwrap();
        std::fs::write(log_file.current_path(), LOG).unwrap();
        let warnings = tail(&log_file, Level::Warning, 10).unwrap();
        let levels: Vec<Level> = warnings.iter().map(|line| line.level).collect();
        assert_eq!(levels, [Level::Warning, Level::Error]);
        let last = tail(&log_file, Level::Debug, 2).unwrap();
        assert_eq!(last[1].level, Level::Error);
        assert_eq!(last.len(), 2);
    }

    #[test]
    fn a_long_log_is_read_from_its_end_only() {
        let dir = tempfile::tempdir().unwrap();
        let log_file = LogFile::open(dir.path()).unwrap();
        let line = "2026-11-27T01:29:04.463369Z  INFO iotbox: a line of some length\n";
        std::fs::write(log_file.current_path(), line.repeat(10_000)).unwrap();
        let lines = tail(&log_file, Level::Info, 100_000).unwrap();
        let most = (TAIL_BYTES as usize) / line.len();
        assert!(
            lines.len() <= most && lines.len() >= most - 1,
            "{}",
            lines.len()
        );
        assert!(lines.iter().all(|l| l.message == "a line of some length"));
    }
}
