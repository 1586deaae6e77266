//! The box's log file, `<data dir>/logs/iotbox.log`: rotated at 1 MiB with five older files
//! kept, so the logs never take more than 6 MiB, and downloadable whole from the homepage.
//! Nothing secret is ever logged (the contract number prints masked, keys never).

use crate::files::atomic_file::private_dir;
use file_rotate::compression::Compression;
use file_rotate::suffix::AppendCount;
use file_rotate::{ContentLimit, FileRotate};
use std::io;
use std::path::{Path, PathBuf};

const LOG_DIR: &str = "logs";
const LOG_FILE: &str = "iotbox.log";
pub const MAX_FILE_BYTES: usize = 1 << 20;
pub const OLDER_FILES_KEPT: usize = 5;

pub struct LogFile {
    path: PathBuf,
}

impl LogFile {
    pub fn open(data_dir: &Path) -> io::Result<Self> {
        let dir = data_dir.join(LOG_DIR);
        private_dir(&dir)?;
        Ok(Self {
            path: dir.join(LOG_FILE),
        })
    }

    /// Where the log lines go; files are created 0600.
    pub fn writer(&self) -> FileRotate<AppendCount> {
        FileRotate::new(
            &self.path,
            AppendCount::new(OLDER_FILES_KEPT),
            ContentLimit::Bytes(MAX_FILE_BYTES),
            Compression::None,
            Some(private_file_options()),
        )
    }

    /// The file lines are written to now.
    pub fn current_path(&self) -> PathBuf {
        self.path.clone()
    }

    /// The file before it, until the next rotation.
    pub fn previous_path(&self) -> PathBuf {
        PathBuf::from(format!("{}.1", self.path.display()))
    }

    /// Every kept file, oldest first, open: a rotation while they are read changes nothing
    /// of what is read.
    pub fn open_all(&self) -> io::Result<Vec<std::fs::File>> {
        let mut files: Vec<std::fs::File> = (1..=OLDER_FILES_KEPT)
            .rev()
            .filter_map(|older| {
                std::fs::File::open(format!("{}.{older}", self.path.display())).ok()
            })
            .collect();
        match std::fs::File::open(&self.path) {
            Ok(file) => files.push(file),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        Ok(files)
    }

    /// Changes whenever a line is written or the file rotates; `None` before the first line.
    pub fn version(&self) -> Option<LogVersion> {
        let metadata = std::fs::metadata(&self.path).ok()?;
        Some(LogVersion {
            length: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

/// What tells the live log view that there is something new to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogVersion {
    length: u64,
    modified: Option<std::time::SystemTime>,
}

/// file-rotate asks for these flags when given options.
fn private_file_options() -> std::fs::OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.read(true).create(true).append(true).mode(0o600);
    options
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn stays_bounded_and_reads_back_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let log = LogFile::open(dir.path()).unwrap();
        let mut writer = log.writer();
        // 8 MiB of numbered lines: more than the six files keep.
        let lines = 8 * 1024;
        for number in 0..lines {
            writeln!(writer, "{number:08} {}", "x".repeat(1014)).unwrap();
        }
        writer.flush().unwrap();
        let mut all = Vec::new();
        for mut file in log.open_all().unwrap() {
            std::io::Read::read_to_end(&mut file, &mut all).unwrap();
        }
        assert!(
            all.len() <= (OLDER_FILES_KEPT + 1) * MAX_FILE_BYTES,
            "{}",
            all.len()
        );
        let numbers: Vec<u32> = String::from_utf8(all)
            .unwrap()
            .lines()
            .map(|line| line[..8].parse().unwrap())
            .collect();
        assert!(numbers.len() > 5 * 1024, "{} lines kept", numbers.len());
        assert!(
            numbers.windows(2).all(|pair| pair[1] == pair[0] + 1),
            "every kept line, oldest first, none missing in between"
        );
        assert_eq!(numbers.last(), Some(&(lines - 1)));
    }
}
