//! The settings backup: download the box's settings as one file sealed with a passphrase, and
//! restore such a file on a new box (a re-flashed SD card). Plain HTML forms, the same with
//! and without JavaScript: the download is an attachment, and the box sends the browser back
//! here with what happened in the address, said next to the field it is about.

use crate::i18n::*;
use crate::model::settings_backup::{
    BackupOutcome, BACKUP_QUERY, FILE_FIELD, PASSPHRASE_FIELD, RESTORE_QUERY,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SettingsBackupForm() -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let query = use_query_map();
    let outcome = move |form: &'static str| {
        query
            .read()
            .get(form)
            .and_then(|text| BackupOutcome::from_query(&text))
    };
    let said = move |form: &'static str, field: Option<&'static str>| {
        move || {
            outcome(form)
                .filter(|outcome| outcome.field() == field)
                .map(|outcome| words(outcome, locale))
        }
    };
    view! {
        <section class="panel" id="settings-backup" aria-labelledby="settings-backup-title">
            <h2 id="settings-backup-title">{td_string!(locale, forms.settings_backup.title)}</h2>
            <p class="panel__hint">{td_string!(locale, forms.settings_backup.hint)}</p>

            // Its answer is a file: the browser sends it itself (`live_page`).
            <form class="form" method="post" action="/api/settings/backup" novalidate data-plain>
                <h3 class="form__title">{td_string!(locale, forms.settings_backup.download_title)}</h3>
                {move || said(BACKUP_QUERY, None)().map(|refused| view! {
                    <p class="form__message form__message--error" role="alert" data-testid="backup-message">{refused}</p>
                })}
                <Passphrase id="backup-passphrase" autocomplete="new-password" message=Signal::derive(said(BACKUP_QUERY, Some(PASSPHRASE_FIELD))) />
                <div class="form__buttons">
                    <button type="submit" class="button button--primary">{td_string!(locale, forms.settings_backup.download)}</button>
                </div>
            </form>

            <form class="form" method="post" action="/api/settings/restore" enctype="multipart/form-data" novalidate>
                <h3 class="form__title">{td_string!(locale, forms.settings_backup.restore_title)}</h3>
                {move || match outcome(RESTORE_QUERY) {
                    Some(BackupOutcome::Restored) => Some(view! {
                        <p class="form__message" role="status" data-testid="restore-message">
                            {td_string!(locale, forms.settings_backup.restored)}
                        </p>
                    }.into_any()),
                    Some(refused) if refused.field().is_none() => Some(view! {
                        <p class="form__message form__message--error" role="alert" data-testid="restore-message">
                            {words(refused, locale)}
                        </p>
                    }.into_any()),
                    _ => None,
                }}
                <div class="field" class:field--invalid=move || said(RESTORE_QUERY, Some(FILE_FIELD))().is_some()>
                    <label for="restore-file">{td_string!(locale, forms.settings_backup.file)}</label>
                    <input id="restore-file" name=FILE_FIELD type="file" accept=".txt,text/plain" aria-describedby="restore-file-message" />
                    <p class="field__message" id="restore-file-message" data-testid="file-message">
                        {said(RESTORE_QUERY, Some(FILE_FIELD))}
                    </p>
                </div>
                <Passphrase id="restore-passphrase" autocomplete="off" message=Signal::derive(said(RESTORE_QUERY, Some(PASSPHRASE_FIELD))) />
                <div class="form__buttons">
                    <button type="submit" class="button">{td_string!(locale, forms.settings_backup.restore)}</button>
                </div>
            </form>
        </section>
    }
}

/// The passphrase field of either form, its message beside it.
#[component]
fn Passphrase(
    id: &'static str,
    autocomplete: &'static str,
    message: Signal<Option<String>>,
) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let message_id = format!("{id}-message");
    view! {
        <div class="field" class:field--invalid=move || message.read().is_some()>
            <label for=id>{td_string!(locale, forms.settings_backup.passphrase)}</label>
            <input
                id=id
                name=PASSPHRASE_FIELD
                type="password"
                autocomplete=autocomplete
                aria-invalid=move || message.read().is_some().to_string()
                aria-describedby=message_id.clone()
            />
            <p class="field__message" id=message_id data-testid=format!("{id}-message")>
                {move || message.get().unwrap_or_else(|| {
                    td_string!(locale, forms.settings_backup.passphrase_hint).to_string()
                })}
            </p>
        </div>
    }
}

fn words(outcome: BackupOutcome, locale: Locale) -> String {
    match outcome {
        BackupOutcome::Restored => td_string!(locale, forms.settings_backup.restored),
        BackupOutcome::PassphraseTooShort => {
            td_string!(locale, forms.settings_backup.passphrase_too_short)
        }
        BackupOutcome::PassphraseTooLong => {
            td_string!(locale, forms.settings_backup.passphrase_too_long)
        }
        BackupOutcome::NoFile => td_string!(locale, forms.settings_backup.no_file),
        BackupOutcome::TooLarge => td_string!(locale, forms.settings_backup.too_large),
        BackupOutcome::NotABackup => td_string!(locale, forms.settings_backup.not_a_backup),
        BackupOutcome::NewerVersion => td_string!(locale, forms.settings_backup.newer_version),
        BackupOutcome::WrongPassphrase => {
            td_string!(locale, forms.settings_backup.wrong_passphrase)
        }
        BackupOutcome::InvalidSettings => {
            td_string!(locale, forms.settings_backup.invalid_settings)
        }
        BackupOutcome::NotSaved => td_string!(locale, forms.settings_backup.not_saved),
        BackupOutcome::Busy => td_string!(locale, forms.settings_backup.busy),
    }
    .to_string()
}
