//! The log as a download, read as it goes out: a chunk of whole lines at a time, each line
//! through the redaction, so a download holds a few tens of KiB whatever the log's size.

use super::redaction::Redactor;
use std::fs::File;
use std::io::{self, BufRead, BufReader};

/// About how much one chunk holds (it ends at the end of a line).
pub const CHUNK_BYTES: usize = 32 * 1024;

pub struct LogDownload {
    /// The files still to read, the next one first.
    files: std::vec::IntoIter<File>,
    reading: Option<BufReader<File>>,
    redactor: Redactor,
}

impl LogDownload {
    /// `files` oldest first (`LogFile::open_all`).
    pub fn new(files: Vec<File>, redactor: Redactor) -> Self {
        Self {
            files: files.into_iter(),
            reading: None,
            redactor,
        }
    }

    /// The next chunk, `None` at the end. Blocking: reads the files.
    pub fn next_chunk(&mut self) -> io::Result<Option<String>> {
        let mut chunk = String::new();
        let mut line = Vec::new();
        while chunk.len() < CHUNK_BYTES {
            let reading = match &mut self.reading {
                Some(reading) => reading,
                None => match self.files.next() {
                    Some(file) => self.reading.insert(BufReader::new(file)),
                    None => break,
                },
            };
            line.clear();
            if reading.read_until(b'\n', &mut line)? == 0 {
                self.reading = None;
                continue;
            }
            self.redactor
                .push_line(&String::from_utf8_lossy(&line), &mut chunk);
        }
        Ok((!chunk.is_empty()).then_some(chunk))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn reads_every_file_in_order_in_bounded_chunks_secrets_taken_out() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        let mut expected = String::new();
        for file in 0..3 {
            let path = dir.path().join(format!("{file}.log"));
            let mut writer = File::create(&path).unwrap();
            for line in 0..2000 {
                let text = format!("{file} {line:05} contract M2611250001 {}\n", "x".repeat(40));
                writer.write_all(text.as_bytes()).unwrap();
                expected.push_str(&text.replace("M2611250001", "[redacted]"));
            }
            files.push(File::open(&path).unwrap());
        }
        let mut download = LogDownload::new(files, Redactor::new(&["M2611250001"]));
        let mut read = String::new();
        let mut chunks = 0;
        while let Some(chunk) = download.next_chunk().unwrap() {
            assert!(chunk.len() < CHUNK_BYTES + 200, "{}", chunk.len());
            assert!(chunk.ends_with('\n'));
            read.push_str(&chunk);
            chunks += 1;
        }
        assert_eq!(read, expected);
        assert!(chunks > 5, "{chunks} chunks");
    }
}
