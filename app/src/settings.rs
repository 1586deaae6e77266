//! The box settings: one TOML file under the data directory, which an installer may pre-seed.
//!
//! ```toml
//! [odoo]
//! server_url = "https://mycompany.odoo.com"
//!
//! [credential]
//! db_uuid = "6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10"
//! contract_number = "M2611250001"
//!
//! [certificate]
//! subject_cn = "*.abc123.odoo-iot.com"
//!
//! [log]
//! root = "info"
//! certificate = "debug"
//! web = "info"
//! changed_at = "2026-11-25T14:03:09Z"
//! ```
//!
//! The file is read again only when it changes on disk (one `stat` per read), so the status
//! poll stays cheap. A malformed file is reported, never replaced: the box keeps the settings
//! it read last, and refuses to write until the file is fixed. The box writes it whole
//! (see `atomic_file`), mode 0600: it holds the contract number.

use crate::atomic_file::write_atomically;
use crate::file_stamp::FileStamp;
use crate::log_level::{Level, LogLevels};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use url::Url;

pub const SETTINGS_FILE_NAME: &str = "settings.toml";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub odoo: OdooSettings,
    #[serde(default)]
    pub credential: CredentialSettings,
    #[serde(default)]
    pub certificate: CertificateSettings,
    #[serde(default, skip_serializing_if = "LogSettings::is_default")]
    pub log: LogSettings,
}

/// The log levels chosen on the homepage, and when (they last seven days).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    #[serde(default)]
    pub root: Level,
    #[serde(default)]
    pub certificate: Level,
    #[serde(default)]
    pub web: Level,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_at: Option<String>,
}

impl LogSettings {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }

    pub fn levels(&self) -> LogLevels {
        LogLevels {
            root: self.root,
            certificate: self.certificate,
            web: self.web,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OdooSettings {
    /// The Odoo server the box is connected to; absent while it is not connected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_url: Option<Url>,
}

/// What the certificate server asks for: the Odoo database UUID and the contract number
/// (the vendor's protocol calls it `enterprise_code`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db_uuid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract_number: Option<ContractNumber>,
}

/// A secret: printed masked, so that no log line or debug output can carry it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContractNumber(String);

impl ContractNumber {
    pub fn new(number: String) -> Self {
        Self(number)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// All but the last four characters hidden, as the page shows it; a number shorter than
    /// eight characters is hidden whole, since four would be most of it.
    pub fn masked(&self) -> String {
        let count = self.0.chars().count();
        if count < 8 {
            return "•".repeat(8);
        }
        let visible: String = self.0.chars().skip(count - 4).collect();
        format!("{}{visible}", "•".repeat((count - 4).min(8)))
    }
}

impl fmt::Debug for ContractNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContractNumber({})", self.masked())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateSettings {
    /// The subject the certificate server gave with the last certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_cn: Option<String>,
}

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
        self.refresh(&mut snapshot);
        (snapshot.settings.clone(), snapshot.problem.clone())
    }

    /// Changes the settings and writes the file whole. Refused while the file on disk is
    /// malformed: writing would replace what an administrator wrote with what the box guessed.
    pub fn update(&self, change: impl FnOnce(&mut Settings)) -> Result<Settings, SettingsError> {
        let mut snapshot = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        self.refresh(&mut snapshot);
        if let Some(problem) = &snapshot.problem {
            return Err(SettingsError::Malformed {
                path: self.path.clone(),
                message: problem.clone(),
            });
        }
        let mut settings = snapshot.settings.clone();
        change(&mut settings);
        let text = format!(
            "# The IoT box settings, written by the box (see its README).\n\n{}",
            toml::to_string(&settings).expect("settings always serialize")
        );
        write_atomically(&self.path, text.as_bytes(), 0o600).map_err(|source| {
            SettingsError::Write {
                path: self.path.clone(),
                source,
            }
        })?;
        snapshot.stamp = stamp_of(&self.path)?;
        snapshot.settings = settings.clone();
        Ok(settings)
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

/// Parses the settings text; the error is one line that says where and what.
pub fn parse(text: &str) -> Result<Settings, String> {
    let settings: Settings = toml::from_str(text).map_err(|e| where_and_what(text, &e))?;
    if let Some(url) = &settings.odoo.server_url {
        check_odoo_server_url(url).map_err(|message| format!("odoo.server_url: {message}"))?;
    }
    Ok(settings)
}

/// Reads an Odoo server address as a person types it; the error says how to write it.
pub fn odoo_server_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|_| {
        "Enter the full address of the Odoo server, for example https://mycompany.odoo.com"
            .to_string()
    })?;
    check_odoo_server_url(&url)?;
    Ok(url)
}

fn check_odoo_server_url(url: &Url) -> Result<(), String> {
    // A password in the address would be shown and logged wherever the address is.
    if !url.username().is_empty() || url.password().is_some() {
        return Err("The address must not contain a user name or password.".to_string());
    }
    match (url.scheme(), url.host()) {
        ("http" | "https", Some(_)) => Ok(()),
        ("http" | "https", None) => Err("The address has no server name.".to_string()),
        _ => Err(format!(
            "The address must start with https:// or http://, not {}://",
            url.scheme()
        )),
    }
}

/// "line 3, column 19: invalid type ...", on one line. Never the text of the line itself:
/// it may hold the contract number, and this message reaches logs and pages.
fn where_and_what(text: &str, error: &toml::de::Error) -> String {
    let what = error.message().lines().next().unwrap_or("not valid TOML");
    match error.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {what}")
        }
        None => what.to_string(),
    }
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
            .contains("https://"));
        assert!(odoo_server_url("mycompany.odoo.com").is_err());
        assert!(odoo_server_url("mailto:someone@example.com").is_err());
        assert_eq!(
            odoo_server_url("https://mycompany.odoo.com")
                .unwrap()
                .as_str(),
            "https://mycompany.odoo.com/"
        );
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

    #[test]
    fn writes_privately_and_reads_back_what_it_wrote() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::open(dir.path()).unwrap();
        let written = file
            .update(|s| {
                s.credential.db_uuid = Some("6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10".into());
                s.credential.contract_number = Some(ContractNumber::new("M2611250001".into()));
            })
            .unwrap();
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
    fn an_error_in_the_file_never_quotes_its_lines() {
        let error = parse("[credential]\ncontract_number = M2611250001\n").unwrap_err();
        assert!(error.starts_with("line 2, column 19:"), "{error}");
        assert!(!error.contains("M2611250001"), "{error}");
        let error = parse("[credential]\nenterprise_code = \"M2611250001\"\n").unwrap_err();
        assert!(!error.contains("M2611250001"), "{error}");
        assert!(odoo_server_url("https://admin:secret@erp.example.com").is_err());
    }

    #[test]
    fn the_contract_number_never_prints_in_full() {
        assert_eq!(ContractNumber::new("1234".into()).masked(), "••••••••");
        let number = ContractNumber::new("M2611250001".into());
        assert_eq!(number.masked(), "•••••••0001");
        assert!(!format!(
            "{:?}",
            Settings {
                credential: CredentialSettings {
                    contract_number: Some(number),
                    ..Default::default()
                },
                ..Default::default()
            }
        )
        .contains("M2611250001"));
    }
}
