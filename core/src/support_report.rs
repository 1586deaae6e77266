//! The support report: one download with what a support ticket needs. The box status and
//! its error code ("include the status code"), every diagnostic check's result, the settings
//! with secrets masked, and the last log lines; the whole text then goes through the log's
//! redaction, so no contract number, database UUID or key can reach it.

use crate::settings::Settings;
use crate::timestamp::rfc3339;
use model::box_status::BoxStatus;
use model::erp_update::IdentifierSource;
use model::log_view::LogLine;
use std::fmt::Write as _;

/// How many log lines the report carries.
pub const LOG_LINES: usize = 300;

/// What goes into a report; the caller reads it from the running box.
pub struct ReportInput {
    pub generated_at: String,
    /// As `GET /api/status` gives it, diagnostics included.
    pub status: BoxStatus,
    pub settings: Settings,
    pub log: Vec<LogLine>,
}

/// The report as plain text: a summary, then each part under its heading.
pub fn render(input: &ReportInput) -> String {
    let status = &input.status;
    let mut text = String::new();
    let code = status
        .certificate
        .error
        .as_ref()
        .map_or("none".to_string(), |error| error.code.to_string());
    let _ = writeln!(text, "IoT box support report");
    let _ = writeln!(text, "Box: {} (version {})", status.name, status.version);
    let _ = writeln!(text, "Generated: {}", input.generated_at);
    let _ = writeln!(
        text,
        "Certificate: {:?}; error code: {code}",
        status.certificate.state
    );
    if let Some(error) = &status.certificate.error {
        let _ = writeln!(text, "Error detail: {}", error.detail);
    }
    let identifier = &status.identifier;
    let _ = writeln!(
        text,
        "Sent to Odoo as: {} ({})",
        identifier.value,
        match identifier.source {
            IdentifierSource::SerialNumber => "the serial number",
            IdentifierSource::MacAddress => "the MAC address",
            IdentifierSource::HostName => "the host name",
        }
    );
    section(&mut text, "Diagnostics");
    text.push_str(&pretty(&status.diagnostics));
    text.push_str(
        "\n(This device's check runs in the browser that shows the homepage: not in this report.)\n",
    );
    section(&mut text, "Settings (secrets masked)");
    text.push_str(&masked_settings(&input.settings));
    section(&mut text, "Status");
    text.push_str(&pretty(&masked_status(status)));
    section(
        &mut text,
        &format!("Log (the last {} lines)", input.log.len()),
    );
    for line in &input.log {
        let _ = writeln!(
            text,
            "{} {:<7} {}: {}",
            line.at,
            line.level.label().to_uppercase(),
            line.target,
            line.message
        );
    }
    text
}

fn section(text: &mut String, title: &str) {
    let _ = write!(text, "\n== {title} ==\n");
}

fn pretty(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("(cannot be written: {e})"))
}

/// The status without the database UUID (the page shows it to the box's users; a ticket
/// travels further), and without the diagnostics, which have a section of their own.
fn masked_status(status: &BoxStatus) -> BoxStatus {
    let mut masked = status.clone();
    masked.credential.db_uuid = masked.credential.db_uuid.as_deref().map(mask_uuid);
    masked.diagnostics = Default::default();
    masked
}

/// The settings file as the box reads it, each secret masked and the password hash replaced
/// by whether there is one.
fn masked_settings(settings: &Settings) -> String {
    let or_none = |value: Option<String>| value.unwrap_or_else(|| "(none)".into());
    let log = &settings.log;
    format!(
        "[odoo]\nserver_url = {}\n[credential]\ndb_uuid = {}\ncontract_number = {}\n\
         [certificate]\nsubject_cn = {}\n[log]\nroot = {}\ncertificate = {}\nweb = {}\n\
         changed_at = {}\n[admin]\npassword = {}\n",
        or_none(settings.odoo.server_url.as_ref().map(without_password)),
        or_none(
            settings
                .credential
                .db_uuid
                .as_ref()
                .map(|uuid| mask_uuid(uuid.as_str()))
        ),
        or_none(
            settings
                .credential
                .contract_number
                .as_ref()
                .map(|n| n.masked())
        ),
        or_none(settings.certificate.subject_cn.clone()),
        log.root,
        log.certificate,
        log.web,
        or_none(log.changed_at.map(rfc3339)),
        if settings.admin.password_hash.is_some() {
            "set"
        } else {
            "not set"
        },
    )
}

/// A server address as written, but a password in it.
fn without_password(url: &url::Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some("••••"));
    }
    shown.to_string()
}

/// `6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10` gives `••••••••-••••-••••-••••-••••••••9b10`: enough
/// to tell two databases apart, not to use one.
pub fn mask_uuid(uuid: &str) -> String {
    let count = uuid.chars().count();
    uuid.chars()
        .enumerate()
        .map(|(index, c)| {
            if c == '-' || index + 4 >= count {
                c
            } else {
                '•'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_keeps_its_shape_and_last_four_characters() {
        assert_eq!(
            mask_uuid("6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10"),
            "••••••••-••••-••••-••••-••••••••9b10"
        );
    }
}
