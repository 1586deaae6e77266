//! Loading: asks the certificate server for a certificate, wire-compatible with the vendor's.
//!
//! `POST <url>` with `{"params": {"db_uuid": ..., "enterprise_code": ...}}`, headers
//! `Content-Type: application/json` and `Accept: text/plain`; success is
//! `{"result": {"x509_pem": ..., "private_key_pem": ..., "subject_cn": ...}}`.
//! Unlike the reference, the server's TLS certificate is verified (system roots plus an
//! optional extra root), the request has connect and total timeouts, and an answer over
//! 1 MiB is refused before it is read whole.

use super::json_rpc;
use crate::settings::credential::Credential;
use model::error_code::{CertificateError, ErrorCode};
use rustls::RootCertStore;
use rustls_pki_types::CertificateDer;
use serde::{Deserialize, Serialize};
use std::error::Error as _;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use url::Url;

pub const MAX_ANSWER_BYTES: usize = 1 << 20;

#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    pub connect: Duration,
    pub total: Duration,
}

/// What a successful answer carries.
pub struct Issued {
    pub x509_pem: String,
    pub private_key_pem: String,
    pub subject_cn: String,
}

/// The private key is a secret: never printed.
impl fmt::Debug for Issued {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Issued")
            .field("subject_cn", &self.subject_cn)
            .finish_non_exhaustive()
    }
}

/// One request and its answer.
#[derive(Debug)]
pub struct Exchange {
    pub outcome: Result<Issued, LoadFailure>,
    /// The server's clock when it answered (its `Date`), if it answered.
    pub server_time: Option<SystemTime>,
}

#[derive(Debug)]
pub struct LoadFailure {
    pub error: CertificateError,
    /// The server's `Retry-After`, when it sent one.
    pub retry_after: Option<Duration>,
}

impl From<CertificateError> for LoadFailure {
    fn from(error: CertificateError) -> Self {
        Self {
            error,
            retry_after: None,
        }
    }
}

/// Who the engine asks for a certificate: the vendor's server over HTTPS
/// ([`CertificateServer`]) on a box, a scripted one in the engine's tests.
pub trait Issuer: Send + Sync + 'static {
    /// Asks once for a certificate. Gives the outcome, and the server's clock (its `Date`)
    /// when it answered at all: the box's clock is checked against it.
    fn request(&self, credential: &Credential) -> impl Future<Output = Exchange> + Send;
}

pub struct CertificateServer {
    client: reqwest::Client,
    url: Url,
    /// What the requests trust, kept for the diagnostics: they check the same way.
    roots: Arc<RootCertStore>,
}

#[derive(Serialize)]
struct Request<'a> {
    params: Params<'a>,
}

#[derive(Serialize)]
struct Params<'a> {
    db_uuid: &'a str,
    enterprise_code: &'a str,
}

impl CertificateServer {
    /// Fails when an extra root cannot be used as a trust anchor.
    pub fn new(
        url: Url,
        extra_roots: &[CertificateDer<'static>],
        timeouts: Timeouts,
    ) -> Result<Self, String> {
        let roots = Arc::new(crate::tls::certificate_server_roots(extra_roots)?);
        let tls = crate::tls::client_config()
            .with_root_certificates(roots.clone())
            .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.total)
            // A redirect is reported as the status it is, not followed into a GET.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("iotbox/", env!("CARGO_PKG_VERSION")))
            // A request every hour at most: a kept connection saves nothing, and one the
            // server closed while idle would fail the next request as a transport error.
            .pool_max_idle_per_host(0)
            .build()
            .map_err(|e| describe(&e))?;
        Ok(Self { client, url, roots })
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The system's roots and `--cert-server-ca`, read once at start-up.
    pub fn roots(&self) -> &Arc<RootCertStore> {
        &self.roots
    }

    async fn ask(
        &self,
        credential: &Credential,
        server_time: &mut Option<SystemTime>,
    ) -> Result<Issued, LoadFailure> {
        let body = Request {
            params: Params {
                db_uuid: credential.db_uuid.as_str(),
                enterprise_code: credential.contract_number.expose(),
            },
        };
        let mut response = self
            .client
            .post(self.url.clone())
            .header(reqwest::header::ACCEPT, "text/plain")
            .json(&body)
            .send()
            .await
            .map_err(request_exception)?;

        *server_time = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| httpdate::parse_http_date(value).ok());
        let status = response.status();
        if status != reqwest::StatusCode::OK {
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| parse_retry_after(value, SystemTime::now()));
            return Err(LoadFailure {
                error: CertificateError::new(
                    ErrorCode::LoadRequestStatus(status.as_u16()),
                    format!("the certificate server answered {status}"),
                ),
                retry_after,
            });
        }
        if response
            .content_length()
            .is_some_and(|length| length > MAX_ANSWER_BYTES as u64)
        {
            return Err(too_large().into());
        }
        let mut answer = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(request_exception)? {
            if answer.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(too_large().into());
            }
            answer.extend_from_slice(&chunk);
        }
        parse_answer(&answer).map_err(LoadFailure::from)
    }
}

impl Issuer for CertificateServer {
    async fn request(&self, credential: &Credential) -> Exchange {
        tracing::info!(url = %self.url, "requesting a certificate");
        let mut server_time = None;
        let outcome = self.ask(credential, &mut server_time).await;
        Exchange {
            outcome,
            server_time,
        }
    }
}

/// Reads a `Retry-After` header: seconds, or an HTTP date (taken relative to `now`).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

fn too_large() -> CertificateError {
    CertificateError::new(
        ErrorCode::LoadRequestNoResult,
        format!(
            "the certificate server's answer is larger than {} KiB and was refused",
            MAX_ANSWER_BYTES / 1024
        ),
    )
}

fn request_exception(error: reqwest::Error) -> LoadFailure {
    CertificateError::new(ErrorCode::LoadRequestException, describe(&error)).into()
}

/// The error and every cause under it, on one line: the cause is what the user needs
/// ("connection refused", "certificate has expired", "timed out").
pub(crate) fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    result: serde_json::Value,
    #[serde(default)]
    error: serde_json::Value,
}

/// Reads a 200 answer. Anything but a complete result is `ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT`
/// with what was wrong, and the server's reason when it gave one.
pub fn parse_answer(answer: &[u8]) -> Result<Issued, CertificateError> {
    let no_result = |detail: String| CertificateError::new(ErrorCode::LoadRequestNoResult, detail);
    let answer: Answer = serde_json::from_slice(answer).map_err(|_| {
        no_result(format!(
            "the certificate server's answer is not JSON: {}",
            excerpt(answer)
        ))
    })?;
    // A refusal comes as `{"result": {"error": "<reason>"}}`, a server error as a JSON-RPC
    // `error` whose message is in `data.message`, else `message`.
    let reason = answer.result["error"]
        .as_str()
        .or_else(|| json_rpc::error_message(&answer.error));
    if let Some(reason) = reason {
        let reason = match json_rpc::shown(reason) {
            said if said.is_empty() => "no reason given".to_string(),
            said => said,
        };
        let mut refused = no_result(format!("the certificate server refused: {reason}"));
        refused.reason = Some(reason);
        return Err(refused);
    }
    if !answer.error.is_null() {
        return Err(no_result(
            "the certificate server refused, and gave no reason".to_string(),
        ));
    }
    let result = match &answer.result {
        serde_json::Value::Object(fields) if !fields.is_empty() => fields,
        _ => {
            return Err(no_result(
                "the certificate server gave no certificate (empty result): the database may \
                 not be a production database, or its subscription may have no IoT box line"
                    .to_string(),
            ))
        }
    };
    let field = |name: &str| match result.get(name).and_then(|v| v.as_str()) {
        Some(text) if !text.trim().is_empty() => Ok(text.to_string()),
        _ => Err(no_result(format!(
            "the certificate server's result has no {name}"
        ))),
    };
    Ok(Issued {
        x509_pem: field("x509_pem")?,
        private_key_pem: field("private_key_pem")?,
        subject_cn: field("subject_cn")?,
    })
}

/// The start of an unexpected answer, printable, for the detail.
fn excerpt(answer: &[u8]) -> String {
    let text: String = String::from_utf8_lossy(&answer[..answer.len().min(80)])
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.trim().is_empty() {
        "empty answer".to_string()
    } else {
        format!("\"{}\"", text.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(answer: &str) -> ErrorCode {
        parse_answer(answer.as_bytes()).unwrap_err().code
    }

    #[test]
    fn reads_a_complete_result() {
        let issued = parse_answer(
            br#"{"jsonrpc": "2.0", "id": null, "result": {"x509_pem": "C", "private_key_pem": "K", "subject_cn": "*.a.odoo-iot.com"}}"#,
        )
        .unwrap();
        assert_eq!(issued.subject_cn, "*.a.odoo-iot.com");
        assert!(!format!("{issued:?}").contains('K'));
    }

    #[test]
    fn anything_less_is_no_result() {
        for answer in [
            "",
            "<html><body>Maintenance</body></html>",
            "{}",
            r#"{"result": false}"#,
            r#"{"result": {}}"#,
            r#"{"result": null}"#,
            r#"{"result": {"x509_pem": "C", "private_key_pem": "", "subject_cn": "s"}}"#,
            r#"{"error": {"message": "Odoo Server Error", "data": {"message": "no subscription"}}}"#,
        ] {
            assert_eq!(code(answer), ErrorCode::LoadRequestNoResult, "{answer}");
        }
        let detail = parse_answer(b"<html>Maintenance</html>")
            .unwrap_err()
            .detail;
        assert!(detail.contains("not JSON"), "{detail}");
    }

    #[test]
    fn a_refusal_keeps_the_server_s_reason() {
        let reason = |answer: &str| parse_answer(answer.as_bytes()).unwrap_err().reason;
        assert_eq!(
            reason(r#"{"jsonrpc": "2.0", "result": {"error": "This database is not a production database"}}"#)
                .as_deref(),
            Some("This database is not a production database")
        );
        assert_eq!(
            reason(r#"{"error": {"message": "Odoo Server Error", "data": {"message": "no subscription"}}}"#)
                .as_deref(),
            Some("no subscription")
        );
        assert_eq!(
            reason(r#"{"error": {"message": "Session expired"}}"#).as_deref(),
            Some("Session expired")
        );
        // One line, bounded, whatever the server sends.
        let long = format!(r#"{{"result": {{"error": "a\nb{}"}}}}"#, "x".repeat(5000));
        let said = reason(&long).unwrap();
        assert!(
            said.starts_with("a b") && said.chars().count() == json_rpc::MAX_WORDS_CHARS,
            "{said}"
        );
        // Nothing said: no reason, the documented checklist alone.
        assert_eq!(reason(r#"{"result": false}"#), None);
        assert_eq!(reason(r#"{"error": {"code": 200}}"#), None);
    }

    #[test]
    fn reads_retry_after_in_both_forms() {
        let now = httpdate::parse_http_date("Wed, 25 Nov 2026 12:00:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 25 Nov 2026 12:05:00 GMT", now),
            Some(Duration::from_secs(300))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
