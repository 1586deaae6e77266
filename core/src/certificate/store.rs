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
//! either the old pair or the new one. The previous pair is kept beside it, and read when
//! the current one cannot be. Once `current` has switched, the pair is stored: syncing the
//! folder and removing older pairs only tidy up, and a failure there is logged, never taken
//! for a failed save.

use super::pair::{self, CertificatePair};
use crate::files::atomic_file::{
    private_dir, remove_any, remove_half_written, sync_dir, write_atomically, INCOMING_PREFIX,
};
use crate::files::crash_point::{crash_point, injected_failure};
use crate::files::file_stamp::FileStamp;
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

/// Where the engine keeps its pair: the certificate folder ([`CertificateStore`]) on a box,
/// memory in the engine's tests. A stamp tells cheaply whether the pair changed since it
/// was last read.
pub trait PairStorage: Send + Sync + 'static {
    type Stamp: Copy + Eq + Send + 'static;
    type SaveError: std::fmt::Display;

    fn stamp(&self) -> Self::Stamp;
    fn read(&self) -> DiskCertificate;
    /// The newest pair kept beside the current one that can be read, if any: what the box
    /// serves while the current one cannot be read.
    fn read_previous(&self) -> Option<Arc<CertificatePair>>;
    /// Makes `pair` the current one. Blocking: writes and syncs.
    fn save(&self, pair: &CertificatePair) -> Result<(), Self::SaveError>;
}

pub struct CertificateStore {
    dir: PathBuf,
}

/// What failed while storing a new pair, and where: the user reads it in the detail.
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} {}: {source}", path.display())]
pub struct StoreError {
    action: &'static str,
    path: PathBuf,
    source: io::Error,
}

/// Names the action and the path of an I/O step of [`CertificateStore::save`].
fn step(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> StoreError {
    let path = path.to_owned();
    move |source| StoreError {
        action,
        path,
        source,
    }
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
}

impl PairStorage for CertificateStore {
    type Stamp = FilesStamp;
    type SaveError = StoreError;

    fn stamp(&self) -> FilesStamp {
        FilesStamp {
            certificate: file_stamp(&self.certificate_path()),
            key: file_stamp(&self.key_path()),
        }
    }

    fn read(&self) -> DiskCertificate {
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

    fn read_previous(&self) -> Option<Arc<CertificatePair>> {
        let current = fs::read_link(self.dir.join(CURRENT)).ok();
        fs::read_dir(&self.dir)
            .ok()?
            .filter_map(Result::ok)
            .filter(|entry| entry.file_name().to_string_lossy().starts_with("pair-"))
            .filter(|entry| current.as_deref() != Some(Path::new(&entry.file_name())))
            .filter_map(|entry| {
                let certificate = fs::read_to_string(entry.path().join(CERTIFICATE_FILE)).ok()?;
                let key = fs::read_to_string(entry.path().join(KEY_FILE)).ok()?;
                pair::parse(&certificate, &key).ok()
            })
            .max_by_key(|pair| pair.summary.not_after)
            .map(Arc::new)
    }

    /// Keeps the pair it replaces and removes older ones. Fails only if `current` did not
    /// switch.
    fn save(&self, pair: &CertificatePair) -> Result<(), StoreError> {
        let (name, previous) = self.commit(pair)?;
        if let Err(error) = self.tidy(&name, previous.as_deref()) {
            tracing::warn!(%error, "the new certificate is stored and served; tidying its folder failed");
        }
        Ok(())
    }
}

impl CertificateStore {
    /// Writes the pair into a folder of its own and switches `current` to it: the part of a
    /// save that can fail. Gives the folder's name, and the one `current` named before.
    fn commit(&self, pair: &CertificatePair) -> Result<(String, Option<PathBuf>), StoreError> {
        let name = format!(
            "pair-{}-{}",
            pair.summary.not_before.unix_timestamp(),
            &pair.summary.fingerprint[..16]
        );
        let incoming = tempfile::Builder::new()
            .prefix(INCOMING_PREFIX)
            .tempdir_in(&self.dir)
            .map_err(step("create a folder in", &self.dir))?;
        private_dir(incoming.path()).map_err(step("protect", incoming.path()))?;
        crash_point!("made the incoming folder");
        for (file, text, mode) in [
            (CERTIFICATE_FILE, &pair.certificate_pem, 0o644),
            (KEY_FILE, &pair.private_key_pem, 0o600),
        ] {
            let path = incoming.path().join(file);
            write_atomically(&path, text.as_bytes(), mode).map_err(step("write", &path))?;
        }
        let final_dir = self.dir.join(&name);
        if final_dir.exists() {
            // The same pair again: already complete on disk.
            drop(incoming);
        } else {
            fs::rename(incoming.keep(), &final_dir).map_err(step("rename into", &final_dir))?;
            crash_point!("renamed the pair folder");
        }

        // A real folder where the link belongs (put there by hand) is kept as the previous
        // pair: a rename cannot replace a folder with a link.
        let current = self.dir.join(CURRENT);
        if fs::symlink_metadata(&current).is_ok_and(|meta| meta.is_dir()) {
            let aside = format!(
                "pair-replaced-{}",
                time::OffsetDateTime::now_utc().unix_timestamp()
            );
            fs::rename(&current, self.dir.join(&aside)).map_err(step("move aside", &current))?;
            std::os::unix::fs::symlink(&aside, &current).map_err(step("link", &current))?;
        }
        let previous = fs::read_link(&current).ok();
        let link = self.dir.join(format!("{INCOMING_PREFIX}{CURRENT}"));
        let _ = fs::remove_file(&link);
        std::os::unix::fs::symlink(&name, &link).map_err(step("link", &link))?;
        crash_point!("linked the new pair");
        fs::rename(&link, &current).map_err(step("switch", &current))?;
        crash_point!("switched current");
        Ok((name, previous))
    }

    /// Makes the switch durable and removes what is neither current nor the one before.
    fn tidy(&self, name: &str, previous: Option<&Path>) -> Result<(), StoreError> {
        injected_failure("sync the certificate folder")
            .and_then(|()| sync_dir(&self.dir))
            .map_err(step("sync", &self.dir))?;
        crash_point!("synced the certificate folder");
        let keep = |entry_name: &str| {
            entry_name == CURRENT || entry_name == name || previous == Some(Path::new(entry_name))
        };
        let older = fs::read_dir(&self.dir).map_err(step("list", &self.dir))?;
        for entry in older {
            let entry = entry.map_err(step("list", &self.dir))?;
            if !keep(&entry.file_name().to_string_lossy()) {
                remove_any(&entry.path()).map_err(step("remove", &entry.path()))?;
                crash_point!("removed an older pair");
            }
        }
        sync_dir(&self.dir).map_err(step("sync", &self.dir))
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
    fn a_corrupt_file_is_unreadable() {
        let data = tempfile::tempdir().unwrap();
        let store = CertificateStore::open(data.path()).unwrap();
        store.save(&temporary::generate().unwrap()).unwrap();
        let before = store.stamp();
        fs::write(store.certificate_path(), "garbage").unwrap();
        assert_ne!(store.stamp(), before);
        let DiskCertificate::Unreadable(reason) = store.read() else {
            panic!("a corrupt file reads as unreadable")
        };
        assert!(reason.contains("cert.pem"), "{reason}");
    }

    #[test]
    fn what_a_crash_left_half_made_is_cleared_at_start() {
        let data = tempfile::tempdir().unwrap();
        let store = CertificateStore::open(data.path()).unwrap();
        store.save(&temporary::generate().unwrap()).unwrap();
        let dir = data.path().join(CERTIFICATE_DIR);
        let complete = names(&dir);
        // As a crash in the middle of a save leaves them: a folder being filled, and the new
        // link not yet renamed over `current`.
        let half_made = dir.join(format!("{INCOMING_PREFIX}crashed"));
        fs::create_dir(&half_made).unwrap();
        fs::write(half_made.join(KEY_FILE), "half a ke").unwrap();
        std::os::unix::fs::symlink("pair-x", dir.join(format!("{INCOMING_PREFIX}{CURRENT}")))
            .unwrap();
        assert_ne!(names(&dir), complete);

        let reopened = CertificateStore::open(data.path()).unwrap();
        assert_eq!(names(&dir), complete);
        assert!(matches!(reopened.read(), DiskCertificate::Readable(_)));
    }

    #[test]
    fn a_folder_put_in_place_of_the_link_is_kept_aside() {
        let data = tempfile::tempdir().unwrap();
        let store = CertificateStore::open(data.path()).unwrap();
        store.save(&temporary::generate().unwrap()).unwrap();
        let dir = data.path().join(CERTIFICATE_DIR);
        let current = dir.join(CURRENT);
        let target = fs::read_link(&current).unwrap();
        fs::remove_file(&current).unwrap();
        fs::rename(dir.join(&target), &current).unwrap();
        let by_hand = fs::read(store.certificate_path()).unwrap();

        store.save(&temporary::generate().unwrap()).unwrap();
        let aside = names(&dir)
            .into_iter()
            .find(|n| n.starts_with("pair-replaced-"))
            .expect("the hand-made folder is kept");
        assert_eq!(
            fs::read(dir.join(aside).join(CERTIFICATE_FILE)).unwrap(),
            by_hand
        );
    }

    #[test]
    fn a_failed_write_says_what_and_where() {
        let data = tempfile::tempdir().unwrap();
        let store = CertificateStore::open(data.path()).unwrap();
        // A file where the folder was: no write can succeed, whoever the box runs as.
        let dir = data.path().join(CERTIFICATE_DIR);
        fs::remove_dir_all(&dir).unwrap();
        fs::write(&dir, "").unwrap();
        let error = store
            .save(&temporary::generate().unwrap())
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("cannot create a folder in"), "{error}");
        assert!(error.contains(&dir.display().to_string()), "{error}");
    }
}
