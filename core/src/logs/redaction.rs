//! What is taken out of log lines before anyone reads them (the download, the live view, the
//! support report): the contract number and the database UUID in force, wherever they
//! appear, and any private key. The box never logs them; this holds even if a library or a
//! future line did.

/// Stands for a removed secret.
pub const REDACTED: &str = "[redacted]";
const KEY_REMOVED: &str = "[private key removed]";

/// Takes `secrets` (values shorter than 4 characters are not secrets worth the false
/// matches) and PEM private key blocks out of a text, whole or a line at a time as it goes
/// out (the log download): it remembers whether a key block is open, so a key cut over
/// lines goes whole.
pub struct Redactor {
    secrets: Vec<String>,
    in_key: bool,
}

impl Redactor {
    pub fn new(secrets: &[&str]) -> Self {
        Self {
            secrets: secrets
                .iter()
                .filter(|secret| secret.len() >= 4)
                .map(|secret| secret.to_ascii_lowercase())
                .collect(),
            in_key: false,
        }
    }

    /// `text` without the secrets and private keys.
    pub fn redact(&mut self, text: &str) -> String {
        let mut clean = String::with_capacity(text.len());
        for line in text.split_inclusive('\n') {
            self.push_line(line, &mut clean);
        }
        clean
    }

    /// Adds `line` (with its end of line, if it has one) to `clean`, without secrets. Every
    /// `-----BEGIN … PRIVATE KEY-----` block goes, up to its end line (or the end of the
    /// text, for a block cut short).
    pub fn push_line(&mut self, mut line: &str, clean: &mut String) {
        let from = clean.len();
        loop {
            if self.in_key {
                let Some(end) = line.find(KEY_MARK) else {
                    break;
                };
                line = &line[end + KEY_MARK.len()..];
                self.in_key = false;
            }
            match key_start(line) {
                Some((start, after_header)) => {
                    clean.push_str(&line[..start]);
                    clean.push_str(KEY_REMOVED);
                    line = &line[after_header..];
                    self.in_key = true;
                }
                None => {
                    clean.push_str(line);
                    break;
                }
            }
        }
        // One lowercase copy of the line, and a rewrite only for a line that holds a secret.
        let lower = clean[from..].to_ascii_lowercase();
        if self
            .secrets
            .iter()
            .any(|secret| lower.contains(secret.as_str()))
        {
            let mut line = clean.split_off(from);
            for secret in &self.secrets {
                line = replace_ignoring_case(&line, secret, REDACTED);
            }
            clean.push_str(&line);
        }
    }
}

/// What ends both lines of a private key block.
const KEY_MARK: &str = "PRIVATE KEY-----";

/// Where the first private key block of `line` starts, and where its header line ends.
fn key_start(line: &str) -> Option<(usize, usize)> {
    const BEGIN: &str = "-----BEGIN ";
    let mut from = 0;
    while let Some(found) = line[from..].find(BEGIN) {
        let start = from + found;
        let header = &line[start + BEGIN.len()..];
        let header_end = header
            .find("-----")
            .map_or(line.len(), |end| start + BEGIN.len() + end + "-----".len());
        if line[start..header_end].contains("PRIVATE KEY") {
            return Some((start, header_end));
        }
        from = start + BEGIN.len();
    }
    None
}

/// A UUID may be written in capitals: the match ignores ASCII case.
fn replace_ignoring_case(text: &str, needle: &str, with: &str) -> String {
    let lower_text = text.to_ascii_lowercase();
    let lower_needle = needle.to_ascii_lowercase();
    let mut clean = String::with_capacity(text.len());
    let mut from = 0;
    while let Some(found) = lower_text[from..].find(&lower_needle) {
        clean.push_str(&text[from..from + found]);
        clean.push_str(with);
        from += found + needle.len();
    }
    clean.push_str(&text[from..]);
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    const UUID: &str = "6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10";
    const CONTRACT: &str = "M2611250001";

    #[test]
    fn secrets_go_wherever_they_appear_in_any_case() {
        let line = format!(
            "asked for {} with {CONTRACT}; again {UUID}",
            UUID.to_uppercase()
        );
        let clean = Redactor::new(&[UUID, CONTRACT]).redact(&line);
        assert_eq!(
            clean,
            "asked for [redacted] with [redacted]; again [redacted]"
        );
    }

    #[test]
    fn private_keys_go_whole_and_certificates_stay() {
        let text =
            "before\n-----BEGIN PRIVATE KEY-----\nMIIEv\nQIBADAN\n-----END PRIVATE KEY-----\n\
                    middle\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n\
                    -----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\nafter\n\
                    -----BEGIN RSA PRIVATE KEY-----\ncut short";
        let clean = Redactor::new(&[]).redact(text);
        assert!(
            !clean.contains("MIIEv") && !clean.contains("MHcC") && !clean.contains("cut short"),
            "{clean}"
        );
        assert!(
            clean.contains("-----BEGIN CERTIFICATE-----\nMIIB"),
            "{clean}"
        );
        assert!(
            clean.starts_with("before\n[private key removed]\nmiddle"),
            "{clean}"
        );
        assert!(
            clean.contains("[private key removed]\nafter\n[private key removed]"),
            "{clean}"
        );
    }

    #[test]
    fn a_line_at_a_time_gives_what_the_whole_text_gives() {
        let text = format!(
            "a {UUID}\n-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----\nb {CONTRACT}\n"
        );
        let mut redactor = Redactor::new(&[UUID, CONTRACT]);
        let mut clean = String::new();
        for line in text.split_inclusive('\n') {
            redactor.push_line(line, &mut clean);
        }
        assert_eq!(clean, "a [redacted]\n[private key removed]\nb [redacted]\n");
        assert_eq!(Redactor::new(&[UUID, CONTRACT]).redact(&text), clean);
    }

    #[test]
    fn short_values_are_left_alone() {
        assert_eq!(
            Redactor::new(&["12", ""]).redact("info 12 lines"),
            "info 12 lines"
        );
    }
}
