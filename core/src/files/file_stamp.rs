//! Tells whether a file changed without reading it: one `stat`, so that a status poll can
//! check the settings and the certificate files and parse them again only when they change.

use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Where the file is and what its metadata says. A file replaced by a rename gets another
/// inode, so even a rewrite of the same length within one clock tick shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    device: u64,
    inode: u64,
    length: u64,
    modified_ns: i128,
}

impl FileStamp {
    /// The stamp of `path`, or `None` when there is no such file.
    pub fn of(path: &Path) -> io::Result<Option<Self>> {
        match fs::metadata(path) {
            Ok(meta) => Ok(Some(Self {
                device: meta.dev(),
                inode: meta.ino(),
                length: meta.len(),
                modified_ns: i128::from(meta.mtime()) * 1_000_000_000
                    + i128::from(meta.mtime_nsec()),
            })),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}
