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
//!
//! [admin]
//! # Delete this line to remove a forgotten password.
//! password_hash = "$argon2id$v=19$m=19456,t=2,p=1$..."
//! ```
//!
//! Every value is checked when the file is read: unknown keys, a server address that is not
//! http or https, a database UUID that is not one, a garbled date are refused with where and
//! what, never with the line itself (it may hold the contract number). `file.rs` follows the
//! file on disk and writes it.

pub mod admin;
pub mod backup;
pub mod credential;
pub mod file;
pub mod odoo_server;

use admin::AdminSettings;
use credential::{ContractNumber, DbUuid};
use model::log_level::{Level, LogLevels};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
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
    #[serde(default, skip_serializing_if = "AdminSettings::is_default")]
    pub admin: AdminSettings,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OdooSettings {
    /// The Odoo server the box is connected to; absent while it is not connected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_url: Option<Url>,
}

/// What the certificate server asks for (the vendor's protocol calls the contract number
/// `enterprise_code`). Either may be missing until someone enters it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialSettings {
    #[serde(
        default,
        deserialize_with = "blank_as_absent",
        skip_serializing_if = "Option::is_none"
    )]
    pub db_uuid: Option<DbUuid>,
    #[serde(
        default,
        deserialize_with = "blank_as_absent",
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_number: Option<ContractNumber>,
}

/// An installer's template may leave a value blank (`db_uuid = ""`): that is a value not
/// entered yet, which the page asks for, not a malformed file.
fn blank_as_absent<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<String, Error = String>,
{
    match Option::<String>::deserialize(deserializer)? {
        Some(text) if !text.trim().is_empty() => T::try_from(text)
            .map(Some)
            .map_err(serde::de::Error::custom),
        _ => Ok(None),
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateSettings {
    /// The subject the certificate server gave with the last certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_cn: Option<String>,
}

/// The log levels chosen on the homepage, and when (they last seven days). The keys are
/// [`model::log_level::Component::field`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    #[serde(default)]
    pub root: Level,
    #[serde(default)]
    pub certificate: Level,
    #[serde(default)]
    pub web: Level,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub changed_at: Option<OffsetDateTime>,
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

    pub fn new(levels: LogLevels, changed_at: Option<OffsetDateTime>) -> Self {
        Self {
            root: levels.root,
            certificate: levels.certificate,
            web: levels.web,
            changed_at,
        }
    }
}

/// Parses the settings text; the error is one line that says where and what.
pub fn parse(text: &str) -> Result<Settings, String> {
    let settings: Settings = toml::from_str(text).map_err(|e| where_and_what(text, &e))?;
    if let Some(url) = &settings.odoo.server_url {
        odoo_server::check(url).map_err(|problem| format!("odoo.server_url: {problem}"))?;
    }
    Ok(settings)
}

/// The text the box writes.
pub fn to_text(settings: &Settings) -> String {
    format!(
        "# The IoT box settings, written by the box (see its administrator.md).\n\n{}",
        toml::to_string(settings).expect("settings always serialize")
    )
}

/// `settings` as the file's text, written into `previous` (the file as it is) when that is
/// TOML: the values change, and what a person wrote around them (comments, the order of the
/// keys, blank lines) stays. A fresh text otherwise, or if the merged one would not read
/// back as `settings`.
pub fn to_text_over(previous: Option<&str>, settings: &Settings) -> String {
    previous
        .and_then(|previous| merged(previous, settings))
        .unwrap_or_else(|| to_text(settings))
}

fn merged(previous: &str, settings: &Settings) -> Option<String> {
    let mut document: toml_edit::DocumentMut = previous.parse().ok()?;
    let fresh: toml_edit::DocumentMut = toml::to_string(settings).ok()?.parse().ok()?;
    merge(document.as_table_mut(), fresh.as_table());
    let text = document.to_string();
    (parse(&text).as_ref() == Ok(settings)).then_some(text)
}

/// Makes `old` hold what `new` holds, keeping the decoration of what both have.
fn merge(old: &mut toml_edit::Table, new: &toml_edit::Table) {
    let gone: Vec<String> = old
        .iter()
        .map(|(key, _)| key.to_string())
        .filter(|key| !new.contains_key(key))
        .collect();
    for key in gone {
        old.remove(&key);
    }
    for (key, item) in new.iter() {
        match (old.get_mut(key), item) {
            (Some(toml_edit::Item::Table(old)), toml_edit::Item::Table(new)) => merge(old, new),
            (Some(toml_edit::Item::Value(old)), toml_edit::Item::Value(new)) => {
                let decor = old.decor().clone();
                *old = new.clone();
                *old.decor_mut() = decor;
            }
            _ => {
                old.insert(key, item.clone());
            }
        }
    }
}

/// "line 3, column 19: invalid type ...", on one line. Never the text of the line itself,
/// nor a value the message quotes (`invalid type: integer `2611250001``): it may be the
/// contract number, and this message reaches logs and pages. Key names stay: they say what
/// to fix.
fn where_and_what(text: &str, error: &toml::de::Error) -> String {
    let what = error.message().lines().next().unwrap_or("not valid TOML");
    let what = if what.starts_with("invalid type") || what.starts_with("invalid value") {
        without_quoted_values(what)
    } else {
        what.to_string()
    };
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

/// `invalid type: integer `2611250001`, expected a string` without the value.
fn without_quoted_values(message: &str) -> String {
    let mut kept = String::new();
    let mut quote = None;
    for c in message.chars() {
        match quote {
            Some(open) if c == open => {
                kept.push('…');
                quote = None;
            }
            Some(_) => {}
            None if c == '`' || c == '"' => quote = Some(c),
            None => kept.push(c),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_is_default_settings() {
        assert_eq!(parse("").unwrap(), Settings::default());
    }

    #[test]
    fn reads_back_what_it_writes() {
        let settings = parse(
            "[odoo]\nserver_url = \"https://shop.example.com\"\n\
             [credential]\ndb_uuid = \"6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10\"\n\
             contract_number = \"M2611250001\"\n\
             [log]\nweb = \"debug\"\nchanged_at = \"2026-11-25T14:03:09Z\"\n",
        )
        .unwrap();
        assert_eq!(
            settings.odoo.server_url.as_ref().unwrap().as_str(),
            "https://shop.example.com/"
        );
        assert_eq!(
            settings.log.changed_at,
            Some(time::macros::datetime!(2026-11-25 14:03:09 UTC))
        );
        assert_eq!(parse(&to_text(&settings)).unwrap(), settings);
    }

    #[test]
    fn a_change_keeps_what_an_installer_wrote_around_the_values() {
        let installed = "# Written by the installer of shop 12.\n\n[odoo]\n\
                         # The shop's database.\nserver_url = \"https://shop12.odoo.com/\"\n\n\
                         [credential]\n# From the contract, page 2.\n\
                         db_uuid = \"6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10\" # checked\n\
                         contract_number = \"M2611250001\"\n";
        let mut settings = parse(installed).unwrap();
        settings.credential.contract_number = Some(ContractNumber::parse("M2611250002").unwrap());
        settings.certificate.subject_cn = Some("*.abc123.odoo-iot.com".into());
        let text = to_text_over(Some(installed), &settings);
        for kept in [
            "# Written by the installer of shop 12.",
            "# The shop's database.",
            "# From the contract, page 2.",
            "# checked",
        ] {
            assert!(text.contains(kept), "{kept} lost:\n{text}");
        }
        assert!(text.contains("contract_number = \"M2611250002\""), "{text}");
        assert!(!text.contains("M2611250001"), "{text}");
        assert_eq!(parse(&text).unwrap(), settings);

        // A value taken away goes, with its comment; the others stay.
        settings.odoo.server_url = None;
        let text = to_text_over(Some(&text), &settings);
        assert!(!text.contains("server_url") && !text.contains("# The shop's database."));
        assert!(text.contains("# From the contract, page 2."), "{text}");
        assert_eq!(parse(&text).unwrap(), settings);
    }

    #[test]
    fn a_file_that_is_not_toml_is_written_afresh() {
        let settings = parse("[odoo]\nserver_url = \"https://shop12.odoo.com/\"\n").unwrap();
        assert_eq!(to_text_over(Some("[odoo\n"), &settings), to_text(&settings));
        assert_eq!(to_text_over(None, &settings), to_text(&settings));
    }

    #[test]
    fn refuses_unknown_keys_and_bad_values() {
        for (text, expected) in [
            ("[odoo]\nserver = \"x\"\n", "server"),
            ("[odoo]\nserver_url = \"not a url\"\n", "line 2"),
            ("[odoo]\nserver_url = \"ftp://x.example\"\n", "https://"),
            ("[credential]\ndb_uuid = \"12345\"\n", "not a UUID"),
            ("[log]\nchanged_at = \"last tuesday\"\n", "line 2"),
            ("[log]\nroot = \"verbose\"\n", "line 2"),
        ] {
            let error = parse(text).unwrap_err();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn an_error_in_the_file_never_quotes_its_lines() {
        let error = parse("[credential]\ncontract_number = M2611250001\n").unwrap_err();
        assert!(error.starts_with("line 2, column 19:"), "{error}");
        assert!(!error.contains("M2611250001"), "{error}");
        let error = parse("[credential]\nenterprise_code = \"M2611250001\"\n").unwrap_err();
        assert!(!error.contains("M2611250001"), "{error}");
        let error = parse(&format!(
            "[credential]\ncontract_number = \"M2611250001{}\"\n",
            "0".repeat(70)
        ))
        .unwrap_err();
        assert!(!error.contains("M2611250001"), "{error}");
    }

    #[test]
    fn an_error_never_quotes_a_value_either() {
        for text in [
            "[credential]\ncontract_number = 2611250001\n",
            "[credential]\ncontract_number = [\"M2611250001\"]\n",
            "credential = \"M2611250001\"\n",
        ] {
            let error = parse(text).unwrap_err();
            assert!(!error.contains("2611250001"), "{error}");
            assert!(error.contains("invalid type"), "{error}");
        }
    }

    #[test]
    fn blank_values_are_values_not_entered_yet() {
        let settings = parse("[credential]\ndb_uuid = \"\"\ncontract_number = \" \"\n").unwrap();
        assert_eq!(settings.credential, CredentialSettings::default());
    }

    #[test]
    fn debug_output_masks_the_contract_number() {
        let settings = parse("[credential]\ncontract_number = \"M2611250001\"\n").unwrap();
        assert!(!format!("{settings:?}").contains("M2611250001"));
    }
}
