//! The settings backup's forms: their fields, and what became of a download or a restore,
//! carried back to the page in its address so that it reads the same without JavaScript.

pub const PASSPHRASE_FIELD: &str = "passphrase";
pub const FILE_FIELD: &str = "file";
/// The address's keys for each form's outcome.
pub const BACKUP_QUERY: &str = "backup";
pub const RESTORE_QUERY: &str = "restore";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupOutcome {
    Restored,
    PassphraseTooShort,
    PassphraseTooLong,
    NoFile,
    TooLarge,
    NotABackup,
    NewerVersion,
    WrongPassphrase,
    InvalidSettings,
    NotSaved,
    /// Another backup or restore is under way.
    Busy,
}

const ALL: [BackupOutcome; 11] = [
    BackupOutcome::Restored,
    BackupOutcome::PassphraseTooShort,
    BackupOutcome::PassphraseTooLong,
    BackupOutcome::NoFile,
    BackupOutcome::TooLarge,
    BackupOutcome::NotABackup,
    BackupOutcome::NewerVersion,
    BackupOutcome::WrongPassphrase,
    BackupOutcome::InvalidSettings,
    BackupOutcome::NotSaved,
    BackupOutcome::Busy,
];

impl BackupOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Restored => "restored",
            Self::PassphraseTooShort => "passphrase_too_short",
            Self::PassphraseTooLong => "passphrase_too_long",
            Self::NoFile => "no_file",
            Self::TooLarge => "too_large",
            Self::NotABackup => "not_a_backup",
            Self::NewerVersion => "newer_version",
            Self::WrongPassphrase => "wrong_passphrase",
            Self::InvalidSettings => "invalid_settings",
            Self::NotSaved => "not_saved",
            Self::Busy => "busy",
        }
    }

    /// As read back from the address; anything else is no outcome.
    pub fn from_query(text: &str) -> Option<Self> {
        ALL.into_iter().find(|outcome| outcome.as_str() == text)
    }

    /// The field a refusal is about, where the page says it; `None`: the whole form's.
    pub fn field(self) -> Option<&'static str> {
        match self {
            Self::PassphraseTooShort | Self::PassphraseTooLong | Self::WrongPassphrase => {
                Some(PASSPHRASE_FIELD)
            }
            Self::NoFile | Self::TooLarge | Self::NotABackup | Self::NewerVersion => {
                Some(FILE_FIELD)
            }
            Self::Restored | Self::InvalidSettings | Self::NotSaved | Self::Busy => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_reads_back_from_the_address() {
        for outcome in ALL {
            assert_eq!(BackupOutcome::from_query(outcome.as_str()), Some(outcome));
        }
        assert_eq!(BackupOutcome::from_query("<script>"), None);
    }
}
