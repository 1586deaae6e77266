//! What the page and `GET /api/status` know of the box's HTTPS certificate.

use super::error_code::CertificateError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateState {
    /// A real certificate is served and still valid (its renewal may be under way, or have
    /// failed: `error` then says why).
    Ok,
    /// The box has no real certificate, or it is due for renewal, and no request is under way.
    NeedsCertificate,
    /// A request to the certificate server is under way.
    Requesting,
    /// The box cannot get a certificate; `error` says why.
    Error,
}

/// Times are RFC 3339 in UTC, so scripts and the page read them the same way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateStatus {
    pub state: CertificateState,
    /// Why the box has no usable certificate, or why its last renewal failed (the state then
    /// stays `ok` while the served certificate is still valid).
    pub error: Option<CertificateError>,
    /// The served certificate's common name.
    pub subject: Option<String>,
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    /// When the box starts asking for the next certificate.
    pub renewal_starts: Option<String>,
    pub days_left: Option<i64>,
    /// The served certificate is the self-signed one the box makes until it gets a real one.
    pub temporary: bool,
    /// The served certificate ends within 14 days and has not been renewed yet: the banner
    /// warns before devices start refusing the box.
    pub expires_soon: bool,
    /// The certificate server gave a certificate already due for renewal: the box asks for a
    /// newer one at `next_attempt`, not sooner.
    pub renewal_deferred: bool,
    pub last_attempt: Option<String>,
    pub next_attempt: Option<String>,
    /// Where devices reach the box over HTTPS with the served certificate.
    pub https_address: Option<String>,
}
