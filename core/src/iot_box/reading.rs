//! What a person reads of the box's logs: the download, the live view's last lines and the
//! support report, every one with the secrets in force taken out. Blocking: they read files.

use super::IotBox;
use crate::files::download_name::download_name;
use crate::logs::download::LogDownload;
use crate::logs::redaction::Redactor;
use crate::support_report::{self, ReportInput, LOG_LINES};
use crate::timestamp::rfc3339;
use model::log_level::Level;
use model::log_view::LogTail;
use std::io;
use time::OffsetDateTime;

impl IotBox {
    /// The log file as a download: its name, and every kept line, to be read as it goes
    /// out with secrets taken out. Blocking: opens the files.
    pub fn log_download(&self) -> io::Result<(String, LogDownload)> {
        Ok((
            download_name(&self.name, OffsetDateTime::now_utc(), ".log"),
            LogDownload::new(self.log_file.open_all()?, self.redactor()),
        ))
    }

    /// Moves whenever the log does. Blocking: reads the file's metadata.
    pub fn log_version(&self) -> Option<crate::logs::log_file::LogVersion> {
        self.log_file.version()
    }

    /// The last `limit` log lines at `level` or more severe, secrets taken out.
    pub fn log_tail(&self, level: Level, limit: usize) -> io::Result<LogTail> {
        let mut lines = crate::logs::tail::tail(&self.log_file, level, limit)?;
        for line in &mut lines {
            line.message = self.redact(&line.message);
        }
        Ok(LogTail { level, lines })
    }

    /// The support report: its download name and text. Blocking: reads the log.
    pub fn support_report(&self) -> io::Result<(String, String)> {
        let now = OffsetDateTime::now_utc();
        let input = ReportInput {
            generated_at: rfc3339(now),
            status: self.status(None),
            settings: self.settings.current().0,
            log: crate::logs::tail::tail(&self.log_file, Level::Debug, LOG_LINES)?,
        };
        Ok((
            download_name(&self.name, now, "-support.txt"),
            self.redact(&support_report::render(&input)),
        ))
    }

    /// `text` without the credential in force or a private key.
    pub(super) fn redact(&self, text: &str) -> String {
        self.redactor().redact(text)
    }

    /// What takes the credential in force and private keys out of text, a line at a time.
    pub(super) fn redactor(&self) -> Redactor {
        let (settings, _) = self.settings.current();
        let credential = &settings.credential;
        let secrets = [
            credential.db_uuid.as_ref().map(|uuid| uuid.as_str()),
            credential
                .contract_number
                .as_ref()
                .map(|number| number.expose()),
        ];
        Redactor::new(&secrets.into_iter().flatten().collect::<Vec<_>>())
    }
}
