//! The settings as one file to keep, so that they survive a re-flashed SD card: the Odoo
//! server, the credential, the log levels and the admin password's hash, sealed with a
//! passphrase the person chooses when downloading. The contract number is a secret and the
//! password hash can be attacked offline: neither leaves the box in clear, so the file can
//! sit in a mailbox or on a shared drive.
//!
//! The file is text, with a header a person can read:
//!
//! ```text
//! # IoT box settings of "iotbox-shop", saved 2026-12-05T10:00:00Z.
//! # Restore them on a box's homepage (cogs, "Settings backup") with their passphrase.
//! iotbox-settings-backup: 1
//! kdf: argon2id m=19456 t=2 p=1
//! salt: <base64>
//! nonce: <base64>
//! sealed: <base64 of the settings file, ChaCha20-Poly1305>
//! ```
//!
//! Sealing and opening are pure: the salt and the nonce are arguments, so each case is tested
//! here; the caller draws them from the system's random source.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ring::aead::{self, Aad, LessSafeKey, Nonce, UnboundKey};

/// A backup is a few hundred bytes; anything much larger is not one.
pub const MAX_BACKUP_BYTES: usize = 16 * 1024;
pub const MIN_PASSPHRASE_CHARS: usize = 10;
pub const MAX_PASSPHRASE_CHARS: usize = 128;
pub const SALT_BYTES: usize = 16;
pub const NONCE_BYTES: usize = aead::NONCE_LEN;

const FORMAT: &str = "iotbox-settings-backup";
const VERSION: &str = "1";
/// As the admin password's hash: OWASP's Argon2id minimum, a fraction of a second on a Pi.
const KDF: &str = "argon2id m=19456 t=2 p=1";

/// Why a backup cannot be made or used; nothing is changed then.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BackupProblem {
    #[error("the passphrase has fewer than {MIN_PASSPHRASE_CHARS} characters")]
    PassphraseTooShort,
    #[error("the passphrase has more than {MAX_PASSPHRASE_CHARS} characters")]
    PassphraseTooLong,
    #[error("the file is larger than a settings backup can be")]
    TooLarge,
    #[error("the file is not an IoT box settings backup")]
    NotABackup,
    #[error("the backup was made by a newer version of the box")]
    NewerVersion,
    #[error("the passphrase is not the backup's, or the file was changed")]
    WrongPassphrase,
    #[error("the settings in the backup are not valid: {0}")]
    Settings(String),
    #[error("the settings could not be written: {0}")]
    NotSaved(String),
}

/// The randomness one backup needs, drawn by the caller.
pub struct Seed {
    pub salt: [u8; SALT_BYTES],
    pub nonce: [u8; NONCE_BYTES],
}

/// The passphrase's rules, checked before any work.
pub fn check_passphrase(passphrase: &str) -> Result<(), BackupProblem> {
    let chars = passphrase.chars().count();
    if chars < MIN_PASSPHRASE_CHARS {
        Err(BackupProblem::PassphraseTooShort)
    } else if chars > MAX_PASSPHRASE_CHARS {
        Err(BackupProblem::PassphraseTooLong)
    } else {
        Ok(())
    }
}

/// The backup file of `settings_text`, introduced by `about` (one line: which box, when).
pub fn seal(
    settings_text: &str,
    passphrase: &str,
    seed: &Seed,
    about: &str,
) -> Result<String, BackupProblem> {
    check_passphrase(passphrase)?;
    let key = key(passphrase, &seed.salt)?;
    let mut sealed = settings_text.as_bytes().to_vec();
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(seed.nonce),
        Aad::from(header_aad()),
        &mut sealed,
    )
    .map_err(|_| BackupProblem::NotABackup)?;
    let about: String = about.chars().filter(|c| !c.is_control()).collect();
    Ok(format!(
        "# {about}\n\
         # Restore them on a box's homepage (cogs, \"Settings backup\") with their passphrase.\n\
         {FORMAT}: {VERSION}\n\
         kdf: {KDF}\n\
         salt: {}\n\
         nonce: {}\n\
         sealed: {}\n",
        BASE64.encode(seed.salt),
        BASE64.encode(seed.nonce),
        BASE64.encode(sealed),
    ))
}

/// The settings text inside a backup file, or why it cannot be had.
pub fn open(file: &[u8], passphrase: &str) -> Result<String, BackupProblem> {
    if file.len() > MAX_BACKUP_BYTES {
        return Err(BackupProblem::TooLarge);
    }
    let text = std::str::from_utf8(file).map_err(|_| BackupProblem::NotABackup)?;
    let field = |name: &str| {
        text.lines()
            .filter(|line| !line.starts_with('#'))
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
            .map(str::trim)
    };
    match field(FORMAT) {
        None => return Err(BackupProblem::NotABackup),
        Some(VERSION) => {}
        Some(_) => return Err(BackupProblem::NewerVersion),
    }
    if field("kdf") != Some(KDF) {
        return Err(BackupProblem::NewerVersion);
    }
    let decoded = |name: &str| {
        field(name)
            .and_then(|value| BASE64.decode(value).ok())
            .ok_or(BackupProblem::NotABackup)
    };
    let salt = decoded("salt")?;
    let nonce: [u8; NONCE_BYTES] = decoded("nonce")?
        .try_into()
        .map_err(|_| BackupProblem::NotABackup)?;
    let mut sealed = decoded("sealed")?;
    // A wrong passphrase cannot be told from a changed file: both fail the tag.
    let key = key(passphrase, &salt).map_err(|_| BackupProblem::WrongPassphrase)?;
    let settings = key
        .open_in_place(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(header_aad()),
            &mut sealed,
        )
        .map_err(|_| BackupProblem::WrongPassphrase)?;
    String::from_utf8(settings.to_vec()).map_err(|_| BackupProblem::NotABackup)
}

/// What the tag also covers: a file cannot be passed off as another version's.
fn header_aad() -> String {
    format!("{FORMAT}: {VERSION}\nkdf: {KDF}")
}

fn key(passphrase: &str, salt: &[u8]) -> Result<LessSafeKey, BackupProblem> {
    use argon2::{Algorithm, Argon2, Params, Version};
    let params = Params::new(19_456, 2, 1, Some(32)).map_err(|_| BackupProblem::NotABackup)?;
    let mut key = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut key)
        .map_err(|_| BackupProblem::NotABackup)?;
    let unbound =
        UnboundKey::new(&aead::CHACHA20_POLY1305, &key).map_err(|_| BackupProblem::NotABackup)?;
    Ok(LessSafeKey::new(unbound))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: &str = "[odoo]\nserver_url = \"https://erp.example.com/\"\n\n\
                            [credential]\ncontract_number = \"M2611250001\"\n";
    const PASSPHRASE: &str = "correct horse battery";

    fn seed() -> Seed {
        Seed {
            salt: [7; SALT_BYTES],
            nonce: [9; NONCE_BYTES],
        }
    }

    fn sealed() -> String {
        seal(
            SETTINGS,
            PASSPHRASE,
            &seed(),
            "IoT box settings of \"shop\".",
        )
        .unwrap()
    }

    #[test]
    fn opens_what_it_sealed_and_holds_no_secret_in_clear() {
        let file = sealed();
        assert!(
            file.starts_with("# IoT box settings of \"shop\".\n"),
            "{file}"
        );
        assert!(!file.contains("M2611250001"));
        assert!(!file.contains("erp.example.com"));
        assert_eq!(open(file.as_bytes(), PASSPHRASE).unwrap(), SETTINGS);
    }

    #[test]
    fn a_wrong_passphrase_or_a_changed_byte_is_refused() {
        let file = sealed();
        assert_eq!(
            open(file.as_bytes(), "another passphrase"),
            Err(BackupProblem::WrongPassphrase)
        );
        // One character of the sealed data changed.
        let sealed_at = file.find("sealed: ").unwrap() + "sealed: ".len() + 4;
        let mut changed = file.clone().into_bytes();
        changed[sealed_at] = if changed[sealed_at] == b'A' {
            b'B'
        } else {
            b'A'
        };
        assert_eq!(
            open(&changed, PASSPHRASE),
            Err(BackupProblem::WrongPassphrase)
        );
    }

    #[test]
    fn anything_else_says_what_it_is() {
        for (file, problem) in [
            (
                &b"[odoo]\nserver_url = \"x\"\n"[..],
                BackupProblem::NotABackup,
            ),
            (b"\xff\xfe", BackupProblem::NotABackup),
            (b"", BackupProblem::NotABackup),
            (
                b"iotbox-settings-backup: 2\nkdf: argon2id m=19456 t=2 p=1\n",
                BackupProblem::NewerVersion,
            ),
            (
                b"iotbox-settings-backup: 1\nkdf: argon2id m=19456 t=2 p=1\nsalt: !!\n",
                BackupProblem::NotABackup,
            ),
        ] {
            assert_eq!(open(file, PASSPHRASE), Err(problem), "{file:?}");
        }
        let huge = vec![b'#'; MAX_BACKUP_BYTES + 1];
        assert_eq!(open(&huge, PASSPHRASE), Err(BackupProblem::TooLarge));
    }

    #[test]
    fn the_passphrase_has_a_length() {
        assert_eq!(
            seal(SETTINGS, "short", &seed(), ""),
            Err(BackupProblem::PassphraseTooShort)
        );
        assert_eq!(
            check_passphrase(&"x".repeat(MAX_PASSPHRASE_CHARS + 1)),
            Err(BackupProblem::PassphraseTooLong)
        );
        assert_eq!(check_passphrase("ten chars!"), Ok(()));
    }

    #[test]
    fn control_characters_stay_out_of_the_header() {
        let file = seal(SETTINGS, PASSPHRASE, &seed(), "a\nkdf: none").unwrap();
        assert!(file.starts_with("# akdf: none\n"));
        assert_eq!(open(file.as_bytes(), PASSPHRASE).unwrap(), SETTINGS);
    }
}
