//! Telling the ERP: after each certificate it stores, the box posts its end date to the
//! connected Odoo server (`POST <server root>/iot/box/update_certificate_status`, as the
//! newest reference does), so that the ERP shows when each box's certificate expires. The
//! route is Odoo's JSON-RPC: the date goes into a `Datetime` field, which Odoo parses as
//! naive UTC (`%Y-%m-%d %H:%M:%S`), and a server error comes back as HTTP 200 with an
//! `error` member, whose message is what the page shows. The post has a short deadline and
//! runs beside the renewal, never in its way; a failure is logged and shown on the homepage,
//! and the next stored certificate tells again.

use super::json_rpc;
use crate::timestamp::rfc3339;
use model::erp_update::{BoxIdentifier, ErpUpdate};
use rustls::RootCertStore;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use time::OffsetDateTime;
use url::Url;

/// The reference waits 5 s for this answer; a slow ERP only delays the line on the homepage.
const DEADLINE: Duration = Duration::from_secs(5);
const PATH: &str = "/iot/box/update_certificate_status";
/// The most of an answer read: a JSON-RPC result is a few bytes, an error a few KiB.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

pub struct ErpUpdater {
    client: reqwest::Client,
    last: Mutex<Option<ErpUpdate>>,
}

impl ErpUpdater {
    /// Trusts what the certificate server's requests trust: the system's roots and
    /// `--cert-server-ca`.
    pub fn new(roots: Arc<RootCertStore>) -> Result<Self, String> {
        let tls = crate::tls::client_config()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(DEADLINE)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("iotbox/", env!("CARGO_PKG_VERSION")))
            // One update per certificate: no connection worth keeping, none to find closed.
            .pool_max_idle_per_host(0)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            last: Mutex::new(None),
        })
    }

    /// What the box last told the Odoo server, or tried to.
    pub fn last(&self) -> Option<ErpUpdate> {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Tells `server` that the box `identifier` serves a certificate until `not_after`.
    pub async fn tell(&self, server: &Url, identifier: BoxIdentifier, not_after: OffsetDateTime) {
        let url = endpoint(server);
        // For the log: a password in the server's address stays out of it.
        let mut shown = url.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        let answer = self
            .client
            .post(url.clone())
            .json(&body(&identifier.value, not_after))
            .send()
            .await;
        let problem = match answer {
            Ok(answer) if answer.status().is_success() => match read_bounded(answer).await {
                Ok(body) => json_rpc_problem(&body),
                Err(error) => Some(transport_problem(error)),
            },
            Ok(answer) => Some(format!("the Odoo server answered {}", answer.status())),
            Err(error) => Some(transport_problem(error)),
        };
        match &problem {
            None => {
                tracing::info!(url = %shown, not_after = %rfc3339(not_after), identifier = %identifier.value, "the Odoo server was told the certificate's end date")
            }
            Some(problem) => {
                tracing::warn!(url = %shown, %problem, identifier = %identifier.value, "the Odoo server was not told the certificate's end date")
            }
        }
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(ErpUpdate {
            at: rfc3339(OffsetDateTime::now_utc()),
            not_after: rfc3339(not_after),
            identifier,
            problem,
        });
    }
}

fn transport_problem(error: reqwest::Error) -> String {
    if error.is_timeout() {
        format!(
            "the Odoo server did not answer within {} s",
            DEADLINE.as_secs()
        )
    } else {
        format!(
            "the Odoo server could not be reached: {}",
            crate::certificate::load::describe(&error.without_url())
        )
    }
}

/// The answer's body, at most [`MAX_ANSWER_BYTES`] of it.
async fn read_bounded(mut answer: reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = answer.chunk().await? {
        let room = MAX_ANSWER_BYTES.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_ANSWER_BYTES {
            break;
        }
    }
    Ok(body)
}

/// What is wrong with a JSON-RPC answer of status 200, if anything: its `error` (Odoo's own
/// message, from `error.data.message`, else `error.message`), or a body that is no JSON-RPC
/// answer at all (a proxy's page, a server that is not Odoo). A `result`, even `null`, is
/// the route's answer.
fn json_rpc_problem(body: &[u8]) -> Option<String> {
    let answer: serde_json::Value = match serde_json::from_slice(body) {
        Ok(answer) => answer,
        Err(_) => return Some("the Odoo server's answer is not JSON-RPC".to_string()),
    };
    if let Some(error) = answer.get("error") {
        let message = json_rpc::shown(json_rpc::error_message(error).unwrap_or("no message"));
        return Some(format!("the Odoo server refused it: {message}"));
    }
    match answer.get("result") {
        Some(_) => None,
        None => Some("the Odoo server's answer is not JSON-RPC".to_string()),
    }
}

/// `<scheme>://<host>[:port]/iot/box/update_certificate_status`: Odoo's routes hang off the
/// server's root, whatever path the address was given with (`…/odoo`, `…/web`).
fn endpoint(server: &Url) -> Url {
    let mut root = server.clone();
    root.set_path(PATH);
    root.set_query(None);
    root.set_fragment(None);
    root
}

/// As the reference sends it: JSON-RPC `params`, the end date in naive UTC, as Odoo's
/// `Datetime` fields read it (a zone suffix makes Odoo raise `ValueError`).
fn body(identifier: &str, not_after: OffsetDateTime) -> serde_json::Value {
    let end = not_after.to_offset(time::UtcOffset::UTC);
    let end_date = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        end.year(),
        u8::from(end.month()),
        end.day(),
        end.hour(),
        end.minute(),
        end.second()
    );
    serde_json::json!({
        "params": {"identifier": identifier, "ssl_certificate_end_date": end_date}
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_endpoint_is_at_the_server_s_root_whatever_its_path() {
        for (server, expected) in [
            (
                "https://erp.example.com",
                "https://erp.example.com/iot/box/update_certificate_status",
            ),
            (
                "https://erp.example.com/",
                "https://erp.example.com/iot/box/update_certificate_status",
            ),
            (
                "http://192.0.2.8:8069/odoo",
                "http://192.0.2.8:8069/iot/box/update_certificate_status",
            ),
            (
                "https://erp.example.com/web?db=shop#menu",
                "https://erp.example.com/iot/box/update_certificate_status",
            ),
        ] {
            assert_eq!(endpoint(&Url::parse(server).unwrap()).as_str(), expected);
        }
    }

    #[test]
    fn the_end_date_is_naive_utc_as_odoo_reads_a_datetime() {
        let end = datetime!(2027-01-25 14:03:07 +01:00);
        assert_eq!(
            body("b8:27:eb:12:34:56", end),
            serde_json::json!({"params": {
                "identifier": "b8:27:eb:12:34:56",
                "ssl_certificate_end_date": "2027-01-25 13:03:07"
            }})
        );
    }

    #[test]
    fn a_json_rpc_error_in_a_200_is_a_failure_with_odoo_s_message() {
        let refused = br#"{"jsonrpc": "2.0", "id": null, "error": {"code": 200,
            "message": "Odoo Server Error", "data": {"name": "builtins.ValueError",
            "message": "time data '2027' does not match format '%Y-%m-%d %H:%M:%S'"}}}"#;
        assert_eq!(
            json_rpc_problem(refused).as_deref(),
            Some("the Odoo server refused it: time data '2027' does not match format '%Y-%m-%d %H:%M:%S'")
        );
        let bare = br#"{"error": {"message": "Session expired"}}"#;
        assert_eq!(
            json_rpc_problem(bare).as_deref(),
            Some("the Odoo server refused it: Session expired")
        );
        assert_eq!(
            json_rpc_problem(br#"{"jsonrpc": "2.0", "result": null}"#),
            None
        );
        assert_eq!(
            json_rpc_problem(br#"{"jsonrpc": "2.0", "result": true}"#),
            None
        );
        for not_json_rpc in [&b"<html>maintenance</html>"[..], b"{}", b""] {
            assert_eq!(
                json_rpc_problem(not_json_rpc).as_deref(),
                Some("the Odoo server's answer is not JSON-RPC")
            );
        }
        let long = format!(r#"{{"error": {{"message": "{}"}}}}"#, "x".repeat(5000));
        let shown = json_rpc_problem(long.as_bytes()).unwrap();
        assert!(
            shown.len() < json_rpc::MAX_WORDS_CHARS + 40,
            "{}",
            shown.len()
        );
    }
}
