//! What the box reads in the JSON-RPC answers of Odoo's servers, the certificate server's and
//! the ERP's alike: the message of an `error`, and a server's words made fit to show.

use serde_json::Value;

/// The most of a server's words kept: a sentence or two, never a whole traceback.
pub const MAX_WORDS_CHARS: usize = 300;

/// Odoo's own message in a JSON-RPC `error`: `data.message`, else `message`.
pub fn error_message(error: &Value) -> Option<&str> {
    error
        .pointer("/data/message")
        .or_else(|| error.get("message"))
        .and_then(Value::as_str)
}

/// A server's words as a page or a log line may show them: one line, bounded, trimmed.
pub fn shown(words: &str) -> String {
    let line: String = words
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_WORDS_CHARS)
        .collect();
    line.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odoo_s_message_then_the_bare_one() {
        let error = serde_json::json!({"message": "Odoo Server Error", "data": {"message": "no subscription"}});
        assert_eq!(error_message(&error), Some("no subscription"));
        let bare = serde_json::json!({"message": "Session expired"});
        assert_eq!(error_message(&bare), Some("Session expired"));
        assert_eq!(error_message(&serde_json::json!({"code": 200})), None);
    }

    #[test]
    fn words_are_one_bounded_line() {
        assert_eq!(shown(" a\nb \t"), "a b");
        assert_eq!(shown(&"x".repeat(5000)).chars().count(), MAX_WORDS_CHARS);
    }
}
