//! The box settings: one TOML file under the data directory, which an installer may pre-seed.
//!
//! ```toml
//! [odoo]
//! server_url = "https://mycompany.odoo.com"
//! ```
//!
//! The file is read again only when it changes on disk (one `stat` per read), so the status
//! poll stays cheap. A malformed file is reported, never replaced: the box keeps the settings
//! it read last.

use serde::Deserialize;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;
use url::Url;

pub const SETTINGS_FILE_NAME: &str = "settings.toml";

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub odoo: OdooSettings,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OdooSettings {
    /// The Odoo server the box is connected to; absent while it is not connected.
    pub server_url: Option<Url>,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("{path} is not valid: {message}")]
    Malformed { path: PathBuf, message: String },
}

/// The settings as last read, with what is needed to tell whether the file changed since.
struct Snapshot {
    stamp: Option<FileStamp>,
    settings: Settings,
    problem: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
}

pub struct SettingsFile {
    path: PathBuf,
    snapshot: Mutex<Snapshot>,
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
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The current settings, and why the file on disk could not be used if it could not.
    pub fn current(&self) -> (Settings, Option<String>) {
        let mut snapshot = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
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
        (snapshot.settings.clone(), snapshot.problem.clone())
    }
}

fn stamp_of(path: &Path) -> Result<Option<FileStamp>, SettingsError> {
    match fs::metadata(path) {
        Ok(meta) => Ok(Some(FileStamp {
            modified: meta.modified().ok(),
            len: meta.len(),
        })),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(SettingsError::Read {
            path: path.to_owned(),
            source,
        }),
    }
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

/// Parses the settings text; the error is one line that says where and what.
pub fn parse(text: &str) -> Result<Settings, String> {
    let settings: Settings = toml::from_str(text).map_err(|e| one_line(&e.to_string()))?;
    if let Some(url) = &settings.odoo.server_url {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "odoo.server_url must be an http or https URL, not {url}"
            ));
        }
    }
    Ok(settings)
}

fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.chars().all(|c| matches!(c, '|' | '^' | ' ')))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_is_default_settings() {
        assert_eq!(parse("").unwrap(), Settings::default());
    }

    #[test]
    fn reads_the_odoo_server() {
        let settings = parse("[odoo]\nserver_url = \"https://shop.example.com\"\n").unwrap();
        assert_eq!(
            settings.odoo.server_url.unwrap().as_str(),
            "https://shop.example.com/"
        );
    }

    #[test]
    fn refuses_unknown_keys_and_bad_urls() {
        assert!(parse("[odoo]\nserver = \"x\"\n")
            .unwrap_err()
            .contains("server"));
        assert!(parse("[odoo]\nserver_url = \"not a url\"\n").is_err());
        assert!(parse("[odoo]\nserver_url = \"ftp://x.example\"\n")
            .unwrap_err()
            .contains("http or https"));
    }

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
}
