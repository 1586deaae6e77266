//! The certificate's files, under `<data dir>/certificate/`:
//!
//! ```text
//! current -> pair-<time>-<fingerprint>/   the pair the box serves (a symbolic link)
//! pair-.../cert.pem                        certificate, then its chain
//! pair-.../key.pem                         private key, mode 0600
//! ```
//!
//! A new pair is written into a fresh folder, synced, and only then does `current` switch to
//! it, in one rename: the certificate and its key always change together, and a crash leaves
//! either the old pair or the new one. The previous pair is kept beside it.

use super::pair::{self, CertificatePair};
use crate::atomic_file::{
    private_dir, remove_any, remove_half_written, sync_dir, write_atomically, INCOMING_PREFIX,
};
use crate::file_stamp::FileStamp;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const CERTIFICATE_DIR: &str = "certificate";
const CURRENT: &str = "current";
const CERTIFICATE_FILE: &str = "cert.pem";
const KEY_FILE: &str = "key.pem";

/// The pair on disk, as a check sees it.
#[derive(Clone, Debug)]
pub enum DiskCertificate {
    Missing,
    /// The files exist but cannot be used; the reason is for the user.
    Unreadable(String),
    Readable(Arc<CertificatePair>),
}

/// Identifies the content of the two files without reading them, so a status poll can tell
/// with two `stat` calls whether they changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FilesStamp {
    certificate: Option<FileStamp>,
    key: Option<FileStamp>,
}

pub struct CertificateStore {
    dir: PathBuf,
}

impl CertificateStore {
    /// Opens the certificate folder, private to the box, and removes what a crash left half-made.
    pub fn open(data_dir: &Path) -> io::Result<Self> {
        let dir = data_dir.join(CERTIFICATE_DIR);
        private_dir(&dir)?;
        remove_half_written(&dir)?;
        Ok(Self { dir })
    }

    pub fn certificate_path(&self) -> PathBuf {
        self.dir.join(CURRENT).join(CERTIFICATE_FILE)
    }

    pub fn key_path(&self) -> PathBuf {
        self.dir.join(CURRENT).join(KEY_FILE)
    }

    pub fn stamp(&self) -> FilesStamp {
        FilesStamp {
            certificate: file_stamp(&self.certificate_path()),
            key: file_stamp(&self.key_path()),
        }
    }

    pub fn read(&self) -> DiskCertificate {
        let certificate = match fs::read_to_string(self.certificate_path()) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return DiskCertificate::Missing,
            Err(e) => {
                return DiskCertificate::Unreadable(format!(
                    "cannot read {}: {e}",
                    self.certificate_path().display()
                ))
            }
        };
        let key = match fs::read_to_string(self.key_path()) {
            Ok(text) => text,
            Err(e) => {
                return DiskCertificate::Unreadable(format!(
                    "cannot read the private key {}: {e}",
                    self.key_path().display()
                ))
            }
        };
        match pair::parse(&certificate, &key) {
            Ok(pair) => DiskCertificate::Readable(Arc::new(pair)),
            Err(e) => DiskCertificate::Unreadable(format!(
                "{} cannot be used: {e}",
                self.certificate_path().display()
            )),
        }
    }

    /// Makes `pair` the current one, keeping the one it replaces and removing older ones.
    pub fn save(&self, pair: &CertificatePair) -> io::Result<()> {
        let name = format!(
            "pair-{}-{}",
            pair.summary.not_before.unix_timestamp(),
            &pair.summary.fingerprint[..16]
        );
        let incoming = tempfile::Builder::new()
            .prefix(INCOMING_PREFIX)
            .tempdir_in(&self.dir)?;
        private_dir(incoming.path())?;
        write_atomically(
            &incoming.path().join(CERTIFICATE_FILE),
            pair.certificate_pem.as_bytes(),
            0o644,
        )?;
        write_atomically(
            &incoming.path().join(KEY_FILE),
            pair.private_key_pem.as_bytes(),
            0o600,
        )?;
        let final_dir = self.dir.join(&name);
        if final_dir.exists() {
            // The same pair again: already complete on disk.
            drop(incoming);
        } else {
            fs::rename(incoming.keep(), &final_dir)?;
        }

        // A real folder where the link belongs (put there by hand) is kept as the previous
        // pair: a rename cannot replace a folder with a link.
        let current = self.dir.join(CURRENT);
        if fs::symlink_metadata(&current).is_ok_and(|meta| meta.is_dir()) {
            let aside = format!(
                "pair-replaced-{}",
                time::OffsetDateTime::now_utc().unix_timestamp()
            );
            fs::rename(&current, self.dir.join(&aside))?;
            std::os::unix::fs::symlink(&aside, &current)?;
        }
        let previous = fs::read_link(&current).ok();
        let link = self.dir.join(format!("{INCOMING_PREFIX}{CURRENT}"));
        let _ = fs::remove_file(&link);
        std::os::unix::fs::symlink(&name, &link)?;
        fs::rename(&link, &current)?;
        sync_dir(&self.dir)?;

        let keep = |entry_name: &str| {
            entry_name == CURRENT
                || entry_name == name
                || previous.as_deref() == Some(Path::new(entry_name))
        };
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            if !keep(&entry.file_name().to_string_lossy()) {
                remove_any(&entry.path())?;
            }
        }
        sync_dir(&self.dir)
    }
}

/// A file that cannot be examined reads as missing here; reading it says why.
fn file_stamp(path: &Path) -> Option<FileStamp> {
    FileStamp::of(path).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::temporary;
    use std::os::unix::fs::PermissionsExt;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn saves_a_pair_privately_and_keeps_only_the_previous_one() {
        let data = tempfile::tempdir().unwrap();
        let store = CertificateStore::open(data.path()).unwrap();
        assert!(matches!(store.read(), DiskCertificate::Missing));

        let pairs: Vec<_> = (0..3).map(|_| temporary::generate().unwrap()).collect();
        for pair in &pairs {
            store.save(pair).unwrap();
        }
        let DiskCertificate::Readable(read) = store.read() else {
            panic!("the saved pair reads back")
        };
        assert_eq!(read.summary, pairs[2].summary);

        let dir = data.path().join(CERTIFICATE_DIR);
        assert_eq!(
            names(&dir).len(),
            3,
            "current, the pair and the previous one"
        );
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&store.key_path()), 0o600);
        assert_eq!(mode(store.key_path().parent().unwrap()), 0o700);
    }

    #[test]
    fn a_corrupt_file_is_unreadable_and_half_made_files_are_cleared() {
        let data = tempfile::tempdir().unwrap();
        let store = CertificateStore::open(data.path()).unwrap();
        store.save(&temporary::generate().unwrap()).unwrap();
        let before = store.stamp();
        fs::write(store.certificate_path(), "garbage").unwrap();
        assert_ne!(store.stamp(), before);
        assert!(matches!(store.read(), DiskCertificate::Unreadable(_)));

        let dir = data.path().join(CERTIFICATE_DIR);
        fs::create_dir(dir.join(".incoming-crashed")).unwrap();
        // A hand-made folder in place of the link is kept aside when a new pair comes.
        let current = dir.join(CURRENT);
        let target = fs::read_link(&current).unwrap();
        fs::remove_file(&current).unwrap();
        fs::rename(dir.join(&target), &current).unwrap();
        store.save(&temporary::generate().unwrap()).unwrap();
        assert!(names(&dir).iter().any(|n| n.starts_with("pair-replaced-")));
        CertificateStore::open(data.path()).unwrap();
        assert!(!names(&dir).iter().any(|n| n.starts_with(INCOMING_PREFIX)));
    }
}
