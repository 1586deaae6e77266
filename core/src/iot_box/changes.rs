//! What a person changes from the homepage: the Odoo server, the credential, the log levels,
//! a retry, and the settings backup. Each is checked, saved whole, and acted on at once.
//! Blocking: they read and write the settings file.

use super::IotBox;
use crate::files::download_name::download_name;
use crate::logs::levels::{self, InForce};
use crate::settings::backup::{self, BackupProblem, Seed};
use crate::settings::credential::Credential;
use crate::settings::odoo_server::{self, Pasted};
use crate::settings::{self, LogSettings};
use crate::timestamp::{rfc3339, to_the_second};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use model::change_error::ChangeError;
use model::log_level::{LogLevels, LEVEL_LIFETIME_DAYS};
use time::OffsetDateTime;

impl IotBox {
    pub fn page_visited(&self) {
        self.certificate.page_visited();
    }

    pub fn try_again(&self) {
        self.certificate.try_again();
    }

    /// Saves the credential, and asks for a certificate with it at once.
    pub fn save_credential(&self, db_uuid: &str, contract_number: &str) -> Result<(), ChangeError> {
        let credential =
            Credential::parse(db_uuid, contract_number).map_err(ChangeError::Credential)?;
        let (before, after) = self.update_settings(|settings| {
            settings.credential.db_uuid = Some(credential.db_uuid);
            settings.credential.contract_number = Some(credential.contract_number);
        })?;
        tracing::info!("credential saved");
        self.react_to_change(before.credential != after.credential);
        Ok(())
    }

    pub fn clear_credential(&self) -> Result<(), ChangeError> {
        self.update_settings(|settings| settings.credential = Default::default())?;
        tracing::info!("credential cleared");
        self.certificate.credential_changed();
        Ok(())
    }

    /// `pasted` is an address, or the ERP's pairing token, which sets the credential too.
    pub fn connect_odoo_server(&self, pasted: &str) -> Result<(), ChangeError> {
        let (url, credential) = match odoo_server::parse_pasted(pasted) {
            Ok(Pasted::Address(url)) => (url, None),
            Ok(Pasted::PairingToken { url, credential }) => (url, Some(credential)),
            Err(problem) => return Err(ChangeError::ServerUrl(problem)),
        };
        tracing::info!(server = %url, token = credential.is_some(), "connecting to an Odoo server");
        let (before, after) = self.update_settings(|settings| {
            settings.odoo.server_url = Some(url);
            if let Some(credential) = credential {
                settings.credential.db_uuid = Some(credential.db_uuid);
                settings.credential.contract_number = Some(credential.contract_number);
            }
        })?;
        self.react_to_change(before.odoo != after.odoo || before.credential != after.credential);
        Ok(())
    }

    /// As on the reference box, the credential goes with the server it was for.
    pub fn disconnect_odoo_server(&self) -> Result<(), ChangeError> {
        self.update_settings(|settings| {
            settings.odoo.server_url = None;
            settings.credential = Default::default();
        })?;
        tracing::info!("disconnected from the Odoo server; credential cleared");
        self.certificate.credential_changed();
        Ok(())
    }

    /// Saves and applies the log levels; they last [`LEVEL_LIFETIME_DAYS`] days.
    pub fn set_log_levels(&self, levels: LogLevels) -> Result<(), ChangeError> {
        let changed_at =
            (levels != LogLevels::default()).then(|| to_the_second(OffsetDateTime::now_utc()));
        self.update_settings(|settings| settings.log = LogSettings::new(levels, changed_at))?;
        self.apply_log_levels();
        tracing::info!(filter = %levels::filter(&levels), "log levels changed");
        Ok(())
    }

    /// Applies the saved log levels, after putting them back to the default if they are older
    /// than [`LEVEL_LIFETIME_DAYS`] days. Run at start-up and hourly.
    pub fn apply_log_levels(&self) {
        let in_force = self.log_levels_in_force(OffsetDateTime::now_utc());
        if in_force.expired {
            tracing::info!("log levels back to the default after {LEVEL_LIFETIME_DAYS} days");
            if let Err(error) = self
                .settings
                .update(|settings| settings.log = LogSettings::default())
            {
                tracing::warn!(%error, "the default log levels could not be saved");
            }
        }
        if let Err(error) = (self.log_filter)(&levels::filter(&in_force.levels)) {
            tracing::warn!(%error, "the log levels could not be applied");
        }
    }

    pub(super) fn log_levels_in_force(&self, now: OffsetDateTime) -> InForce {
        levels::in_force(&self.settings.current().0.log, now)
    }

    /// The settings as a backup file sealed with `passphrase`: its download name and text.
    /// The settings in force, even while the file on disk is malformed. Blocking: Argon2.
    pub fn settings_backup(&self, passphrase: &str) -> Result<(String, String), BackupProblem> {
        backup::check_passphrase(passphrase)?;
        let mut seed = Seed {
            salt: [0; backup::SALT_BYTES],
            nonce: [0; backup::NONCE_BYTES],
        };
        OsRng.fill_bytes(&mut seed.salt);
        OsRng.fill_bytes(&mut seed.nonce);
        let now = OffsetDateTime::now_utc();
        let about = format!(
            "IoT box settings of \"{}\", saved {}.",
            self.name,
            rfc3339(to_the_second(now))
        );
        let (settings, _) = self.settings.current();
        let file = backup::seal(&settings::to_text(&settings), passphrase, &seed, &about)?;
        tracing::info!("settings backup downloaded");
        Ok((download_name(&self.name, now, "-settings.txt"), file))
    }

    /// Puts the settings of a backup file in place, whole, and acts on them at once (a
    /// certificate is asked for with the restored credential); a refused file changes
    /// nothing. Blocking: Argon2, and writes the settings file.
    pub fn restore_settings(&self, file: &[u8], passphrase: &str) -> Result<(), BackupProblem> {
        let text = backup::open(file, passphrase).inspect_err(|problem| {
            tracing::warn!(%problem, "a settings backup was refused");
        })?;
        // Where and what, never a value: the message may reach the log.
        let restored = settings::parse(&text).map_err(|problem| {
            tracing::warn!(%problem, "the settings in a backup are not valid");
            BackupProblem::Settings(problem)
        })?;
        self.settings.replace(restored).map_err(|error| {
            tracing::error!(%error, "the restored settings could not be written");
            BackupProblem::NotSaved(error.to_string())
        })?;
        tracing::info!("settings restored from a backup");
        self.apply_log_levels();
        self.react_to_change(true);
        Ok(())
    }

    pub(super) fn update_settings(
        &self,
        change: impl FnOnce(&mut crate::settings::Settings),
    ) -> Result<(crate::settings::Settings, crate::settings::Settings), ChangeError> {
        self.settings
            .update(change)
            .map_err(|error| ChangeError::Settings(error.to_string()))
    }

    /// A real change is news to the certificate engine; the same values saved again only
    /// count as a person asking (bounded like "Try again").
    pub(super) fn react_to_change(&self, changed: bool) {
        if changed {
            self.certificate.credential_changed();
        } else {
            self.certificate.page_visited();
        }
    }
}
