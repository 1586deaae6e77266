//! What is taken out of log lines before anyone reads them (the download, the live view, the
//! support report): the contract number and the database UUID in force, wherever they
//! appear, and any private key. The box never logs them; this holds even if a library or a
//! future line did.

/// Stands for a removed secret.
pub const REDACTED: &str = "[redacted]";
const KEY_REMOVED: &str = "[private key removed]";

/// `text` without `secrets` (values shorter than 4 characters are not secrets worth the
/// false matches) and without PEM private key blocks.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut clean = without_private_keys(text);
    for secret in secrets.iter().filter(|secret| secret.len() >= 4) {
        clean = replace_ignoring_case(&clean, secret, REDACTED);
    }
    clean
}

/// Removes every `-----BEGIN … PRIVATE KEY-----` block, up to its end line (or the end of
/// the text, for a block cut short).
fn without_private_keys(text: &str) -> String {
    let mut clean = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let header_end = rest[start..].find("-----\n").map(|end| start + end);
        let is_key = rest[start..header_end.unwrap_or(rest.len())].contains("PRIVATE KEY");
        if !is_key {
            clean.push_str(&rest[..start + "-----BEGIN ".len()]);
            rest = &rest[start + "-----BEGIN ".len()..];
            continue;
        }
        clean.push_str(&rest[..start]);
        clean.push_str(KEY_REMOVED);
        rest = match rest[start..].find("PRIVATE KEY-----").and_then(|first| {
            let after_header = start + first + "PRIVATE KEY-----".len();
            rest[after_header..]
                .find("PRIVATE KEY-----")
                .map(|end| after_header + end + "PRIVATE KEY-----".len())
        }) {
            Some(end) => &rest[end..],
            None => "",
        };
    }
    clean.push_str(rest);
    clean
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
        let clean = redact(&line, &[UUID, CONTRACT]);
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
        let clean = redact(text, &[]);
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
    fn short_values_are_left_alone() {
        assert_eq!(redact("info 12 lines", &["12", ""]), "info 12 lines");
    }
}
