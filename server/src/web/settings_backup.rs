//! The settings backup's two forms, plain HTML forms that work with or without JavaScript:
//! `POST /api/settings/backup` (a passphrase) answers the sealed settings as an attachment;
//! `POST /api/settings/restore` (the file and its passphrase, multipart) puts them in place.
//! A refusal, and a restore, send the browser back to the form with what happened in the
//! address (`/?advanced&restore=wrong_passphrase#settings-backup`), where the page says it
//! next to the field. Both are changes: behind the login while a password is set.

use super::attachment::attachment;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use iotbox_core::blocking::off_the_runtime;
use iotbox_core::iot_box::IotBox;
use iotbox_core::settings::backup::{BackupProblem, MAX_BACKUP_BYTES, MAX_PASSPHRASE_CHARS};
use model::settings_backup::{BackupOutcome, FILE_FIELD, PASSPHRASE_FIELD};
use std::sync::Arc;
use tokio::sync::Semaphore;

pub const BACKUP_PATH: &str = "/api/settings/backup";
pub const RESTORE_PATH: &str = "/api/settings/restore";
/// The most a restore may send: the file, the passphrase, and the multipart framing.
pub const MOST_RESTORE_BYTES: usize = MAX_BACKUP_BYTES + 4 * 1024;

/// Argon2 takes 19 MiB and a fraction of a second: one backup or restore at a time, so that
/// a stranger posting in a loop (no password set) costs the box that much and no more.
static ONE_AT_A_TIME: Semaphore = Semaphore::const_new(1);

#[derive(serde::Deserialize)]
pub struct BackupForm {
    passphrase: String,
}

pub async fn backup(State(iot_box): State<Arc<IotBox>>, Form(form): Form<BackupForm>) -> Response {
    let Ok(_turn) = ONE_AT_A_TIME.try_acquire() else {
        return back_to_form("backup", BackupOutcome::Busy);
    };
    // Argon2 takes a fraction of a second and 19 MiB: off the async runtime.
    match off_the_runtime(move || iot_box.settings_backup(&form.passphrase)).await {
        Ok(Ok((name, file))) => attachment(&name, file),
        Ok(Err(problem)) => back_to_form("backup", outcome_of(&problem)),
        Err(_) => back_to_form("backup", BackupOutcome::NotSaved),
    }
}

pub async fn restore(State(iot_box): State<Arc<IotBox>>, multipart: Multipart) -> Response {
    let (file, passphrase) = match read_form(multipart).await {
        Ok(form) => form,
        Err(outcome) => return back_to_form("restore", outcome),
    };
    let Ok(_turn) = ONE_AT_A_TIME.try_acquire() else {
        return back_to_form("restore", BackupOutcome::Busy);
    };
    let outcome = match off_the_runtime(move || iot_box.restore_settings(&file, &passphrase)).await
    {
        Ok(Ok(())) => BackupOutcome::Restored,
        Ok(Err(problem)) => outcome_of(&problem),
        Err(_) => BackupOutcome::NotSaved,
    };
    back_to_form("restore", outcome)
}

/// The file and the passphrase; other fields are ignored, an oversized one refused.
async fn read_form(mut multipart: Multipart) -> Result<(Vec<u8>, String), BackupOutcome> {
    let (mut file, mut passphrase) = (None, None);
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| BackupOutcome::NotABackup)?
    {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.map_err(|_| BackupOutcome::TooLarge)?;
        match name.as_str() {
            FILE_FIELD => file = Some(bytes.to_vec()),
            PASSPHRASE_FIELD if bytes.len() <= MAX_PASSPHRASE_CHARS * 4 => {
                passphrase = Some(String::from_utf8_lossy(&bytes).into_owned())
            }
            PASSPHRASE_FIELD => return Err(BackupOutcome::PassphraseTooLong),
            _ => {}
        }
    }
    match (file, passphrase) {
        (Some(file), _) if file.is_empty() => Err(BackupOutcome::NoFile),
        (None, _) => Err(BackupOutcome::NoFile),
        (Some(file), passphrase) => Ok((file, passphrase.unwrap_or_default())),
    }
}

fn outcome_of(problem: &BackupProblem) -> BackupOutcome {
    match problem {
        BackupProblem::PassphraseTooShort => BackupOutcome::PassphraseTooShort,
        BackupProblem::PassphraseTooLong => BackupOutcome::PassphraseTooLong,
        BackupProblem::TooLarge => BackupOutcome::TooLarge,
        BackupProblem::NotABackup => BackupOutcome::NotABackup,
        BackupProblem::NewerVersion => BackupOutcome::NewerVersion,
        BackupProblem::WrongPassphrase => BackupOutcome::WrongPassphrase,
        BackupProblem::Settings(_) => BackupOutcome::InvalidSettings,
        BackupProblem::NotSaved(_) => BackupOutcome::NotSaved,
    }
}

/// Back to the form, the outcome in the address for the page to say.
fn back_to_form(form: &str, outcome: BackupOutcome) -> Response {
    Redirect::to(&format!(
        "/?advanced&{form}={}#settings-backup",
        outcome.as_str()
    ))
    .into_response()
}
