//! The settings file on disk, `<data dir>/settings.toml`. It is read again only when it
//! changes (one `stat` per read), so a status poll stays cheap. A malformed file is reported,
//! never replaced: the box keeps the settings it read last, and refuses to write until the
//! file is fixed. The box writes it whole (see `atomic_file`), mode 0600: it holds the
//! contract number.
//!
//! Readers never wait for a write: one lock guards the settings in memory, held for a `stat`
//! at most (and a parse when the file changed), and another lets one writer at a time
//! through the write and its sync.

use super::{parse, to_text_over, Settings, SETTINGS_FILE_NAME};
use crate::files::atomic_file::write_atomically;
use crate::files::file_stamp::FileStamp;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("{path} is not valid: {message}")]
    Malformed { path: PathBuf, message: String },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
}

/// The settings as last read, with what is needed to tell whether the file changed since.
struct Snapshot {
    stamp: Option<FileStamp>,
    settings: Settings,
    problem: Option<String>,
}

/// How the file is written: whole or not at all ([`write_atomically`]). Tests give another,
/// to make the disk slow or full.
type Writer = Box<dyn Fn(&Path, &[u8], u32) -> io::Result<()> + Send + Sync>;

pub struct SettingsFile {
    path: PathBuf,
    snapshot: Mutex<Snapshot>,
    writing: Mutex<()>,
    write: Writer,
}

impl SettingsFile {
    /// Reads the settings at start-up. A missing file means default settings; a malformed one
    /// is an error, so the box never starts on settings it misunderstood.
    pub fn open(data_dir: &Path) -> Result<Self, SettingsError> {
        let path = data_dir.join(SETTINGS_FILE_NAME);
        let stamp = stamp_of(&path)?;
        let settings = match stamp {
            Some(_) => parse_file(&path)?,
            None => Settings::default(),
        };
        Ok(Self {
            path,
            snapshot: Mutex::new(Snapshot {
                stamp,
                settings,
                problem: None,
            }),
            writing: Mutex::new(()),
            write: Box::new(write_atomically),
        })
    }

    #[cfg(test)]
    fn with_writer(self, write: Writer) -> Self {
        Self { write, ..self }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The current settings, and why the file on disk could not be used if it could not.
    /// Blocking: a `stat`, and a read when the file changed.
    pub fn current(&self) -> (Settings, Option<String>) {
        let mut snapshot = self.snapshot();
        self.refresh(&mut snapshot);
        (snapshot.settings.clone(), snapshot.problem.clone())
    }

    /// Changes the settings and writes the file whole; gives the settings before and after.
    /// Refused while the file on disk is malformed: writing would replace what an
    /// administrator wrote with what the box guessed. Blocking: writes and syncs.
    pub fn update(
        &self,
        change: impl FnOnce(&mut Settings),
    ) -> Result<(Settings, Settings), SettingsError> {
        let _one_writer = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let (before, problem) = self.current();
        if let Some(problem) = problem {
            return Err(SettingsError::Malformed {
                path: self.path.clone(),
                message: problem,
            });
        }
        let mut after = before.clone();
        change(&mut after);
        self.write_whole(after.clone())?;
        Ok((before, after))
    }

    /// Puts `settings` in place of the file whole, even over a malformed one: a person chose
    /// them (a restored backup), nothing is guessed. Blocking: writes and syncs.
    pub fn replace(&self, settings: Settings) -> Result<(), SettingsError> {
        let _one_writer = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        self.write_whole(settings)
    }

    /// Writes the file whole, over what it holds now (see [`to_text_over`]), then takes it as
    /// the current settings.
    fn write_whole(&self, settings: Settings) -> Result<(), SettingsError> {
        let previous = fs::read_to_string(&self.path).ok();
        let text = to_text_over(previous.as_deref(), &settings);
        (self.write)(&self.path, text.as_bytes(), 0o600).map_err(|source| {
            SettingsError::Write {
                path: self.path.clone(),
                source,
            }
        })?;
        let stamp = stamp_of(&self.path)?;
        let mut snapshot = self.snapshot();
        snapshot.stamp = stamp;
        snapshot.settings = settings;
        snapshot.problem = None;
        Ok(())
    }

    fn snapshot(&self) -> MutexGuard<'_, Snapshot> {
        self.snapshot.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn refresh(&self, snapshot: &mut Snapshot) {
        match stamp_of(&self.path) {
            Ok(stamp) if stamp == snapshot.stamp => {}
            Ok(None) => {
                snapshot.stamp = None;
                snapshot.settings = Settings::default();
                snapshot.problem = None;
            }
            Ok(stamp) => {
                snapshot.stamp = stamp;
                match parse_file(&self.path) {
                    Ok(settings) => {
                        snapshot.settings = settings;
                        snapshot.problem = None;
                    }
                    Err(error) => {
                        tracing::error!(%error, "settings file rejected, keeping the previous settings");
                        snapshot.problem = Some(error.to_string());
                    }
                }
            }
            Err(error) => snapshot.problem = Some(error.to_string()),
        }
    }
}

fn stamp_of(path: &Path) -> Result<Option<FileStamp>, SettingsError> {
    FileStamp::of(path).map_err(|source| SettingsError::Read {
        path: path.to_owned(),
        source,
    })
}

fn parse_file(path: &Path) -> Result<Settings, SettingsError> {
    let text = fs::read_to_string(path).map_err(|source| SettingsError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&text).map_err(|message| SettingsError::Malformed {
        path: path.to_owned(),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::credential::Credential;

    #[test]
    fn a_malformed_file_stops_start_up() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(SETTINGS_FILE_NAME), "[odoo\n").unwrap();
        let error = SettingsFile::open(dir.path()).err().unwrap();
        assert!(matches!(error, SettingsError::Malformed { .. }), "{error}");
    }

    #[test]
    fn follows_the_file_and_keeps_the_last_good_settings() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::open(dir.path()).unwrap();
        assert_eq!(file.current(), (Settings::default(), None));

        fs::write(
            file.path(),
            "[odoo]\nserver_url = \"http://erp.local:8069\"\n",
        )
        .unwrap();
        let (settings, problem) = file.current();
        assert_eq!(
            settings.odoo.server_url.as_ref().unwrap().as_str(),
            "http://erp.local:8069/"
        );
        assert_eq!(problem, None);

        fs::write(file.path(), "[odoo]\nserver_url = 3\n").unwrap();
        let (kept, problem) = file.current();
        assert_eq!(kept, settings);
        assert!(problem.unwrap().contains("settings.toml"));

        fs::remove_file(file.path()).unwrap();
        assert_eq!(file.current(), (Settings::default(), None));
    }

    #[test]
    fn writes_privately_and_reads_back_what_it_wrote() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::open(dir.path()).unwrap();
        let credential =
            Credential::parse("6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10", "M2611250001").unwrap();
        let (before, written) = file
            .update(|s| {
                s.credential.db_uuid = Some(credential.db_uuid);
                s.credential.contract_number = Some(credential.contract_number);
            })
            .unwrap();
        assert_eq!(before, Settings::default());
        assert_eq!(SettingsFile::open(dir.path()).unwrap().current().0, written);
        let mode = fs::metadata(file.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn never_overwrites_a_malformed_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::open(dir.path()).unwrap();
        fs::write(file.path(), "[odoo\n").unwrap();
        assert!(file.update(|s| s.certificate.subject_cn = None).is_err());
        assert_eq!(fs::read_to_string(file.path()).unwrap(), "[odoo\n");
    }

    #[test]
    fn a_reader_does_not_wait_for_a_writer_s_disk() {
        use std::sync::mpsc::channel;
        use std::sync::Mutex as StdMutex;
        let dir = tempfile::tempdir().unwrap();
        let (writing, reader_may_go) = channel();
        let (read, writer_may_finish) = channel::<()>();
        let (writing, writer_may_finish) =
            (StdMutex::new(writing), StdMutex::new(writer_may_finish));
        // A disk that takes its time: the write blocks until the reader has read.
        let slow_disk: Writer = Box::new(move |path, contents, mode| {
            writing.lock().unwrap().send(()).unwrap();
            writer_may_finish.lock().unwrap().recv().unwrap();
            write_atomically(path, contents, mode)
        });
        let file = std::sync::Arc::new(
            SettingsFile::open(dir.path())
                .unwrap()
                .with_writer(slow_disk),
        );
        let writer = std::thread::spawn({
            let file = file.clone();
            move || {
                file.update(|s| s.certificate.subject_cn = Some("*.a.example".into()))
                    .unwrap();
            }
        });
        reader_may_go.recv().unwrap();
        let (reading, done) = channel();
        std::thread::spawn({
            let file = file.clone();
            move || reading.send(file.current().0).unwrap()
        });
        let seen = done
            .recv_timeout(std::time::Duration::from_secs(5))
            .expect("the reader waited for the writer's disk");
        assert_eq!(seen, Settings::default());
        read.send(()).unwrap();
        writer.join().unwrap();
        assert_eq!(
            file.current().0.certificate.subject_cn.as_deref(),
            Some("*.a.example")
        );
    }

    #[test]
    fn a_full_disk_is_said_and_loses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join(SETTINGS_FILE_NAME),
            "[odoo]\nserver_url = \"https://erp.example.com\"\n",
        )
        .unwrap();
        let full: Writer = Box::new(|_, _, _| Err(io::Error::from_raw_os_error(28)));
        let file = SettingsFile::open(dir.path()).unwrap().with_writer(full);
        let before = file.current();
        let error = file
            .update(|s| s.odoo.server_url = None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("No space left on device"), "{error}");
        assert!(error.contains("settings.toml"), "{error}");
        assert_eq!(file.current(), before);
        assert!(fs::read_to_string(file.path())
            .unwrap()
            .contains("erp.example.com"));
    }
}
