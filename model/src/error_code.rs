//! The six error codes the box shows when it has no usable HTTPS certificate, exactly as the
//! user documentation names them, so a user can look a code up.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Serialized as the documented spelling, so `GET /api/status` shows what the page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum ErrorCode {
    /// No Odoo server is configured.
    CheckNoServer,
    /// The certificate on disk could not be read.
    CheckCertReadException,
    /// The database UUID or the contract number is missing.
    LoadNoCredential,
    /// The certificate server could not be reached (DNS, refused, TLS, timeout, reset).
    LoadRequestException,
    /// The certificate server answered with this HTTP status instead of 200.
    LoadRequestStatus(u16),
    /// The certificate server answered 200 without a usable certificate.
    LoadRequestNoResult,
}

impl fmt::Display for ErrorCode {
    /// The code as the documentation spells it, e.g. `ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CheckNoServer => f.write_str("ERR_IOT_HTTPS_CHECK_NO_SERVER"),
            Self::CheckCertReadException => f.write_str("ERR_IOT_HTTPS_CHECK_CERT_READ_EXCEPTION"),
            Self::LoadNoCredential => f.write_str("ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL"),
            Self::LoadRequestException => f.write_str("ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION"),
            Self::LoadRequestStatus(status) => write!(f, "{STATUS_PREFIX}{status}"),
            Self::LoadRequestNoResult => f.write_str("ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT"),
        }
    }
}

const STATUS_PREFIX: &str = "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS ";

impl FromStr for ErrorCode {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Ok(match text {
            "ERR_IOT_HTTPS_CHECK_NO_SERVER" => Self::CheckNoServer,
            "ERR_IOT_HTTPS_CHECK_CERT_READ_EXCEPTION" => Self::CheckCertReadException,
            "ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL" => Self::LoadNoCredential,
            "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION" => Self::LoadRequestException,
            "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT" => Self::LoadRequestNoResult,
            other => other
                .strip_prefix(STATUS_PREFIX)
                .and_then(|status| status.parse().ok())
                .map(Self::LoadRequestStatus)
                .ok_or_else(|| format!("unknown error code {other}"))?,
        })
    }
}

impl From<ErrorCode> for String {
    fn from(code: ErrorCode) -> Self {
        code.to_string()
    }
}

impl TryFrom<String> for ErrorCode {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        text.parse()
    }
}

/// A failure the user sees: the documented code and what exactly happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{code}: {detail}")]
pub struct CertificateError {
    pub code: ErrorCode,
    pub detail: String,
    /// The certificate server's own words when it refused (its `result.error`, or its
    /// JSON-RPC error's message): what the owner needs to read, shown as said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl CertificateError {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self {
            code,
            detail: detail.into(),
            reason: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [ErrorCode; 6] = [
        ErrorCode::CheckNoServer,
        ErrorCode::CheckCertReadException,
        ErrorCode::LoadNoCredential,
        ErrorCode::LoadRequestException,
        ErrorCode::LoadRequestStatus(404),
        ErrorCode::LoadRequestNoResult,
    ];

    #[test]
    fn codes_are_spelled_as_documented() {
        let spelled: Vec<String> = ALL.iter().map(ToString::to_string).collect();
        assert_eq!(
            spelled,
            [
                "ERR_IOT_HTTPS_CHECK_NO_SERVER",
                "ERR_IOT_HTTPS_CHECK_CERT_READ_EXCEPTION",
                "ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL",
                "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION",
                "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404",
                "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT",
            ]
        );
    }

    #[test]
    fn codes_read_back_from_their_spelling() {
        for code in ALL {
            assert_eq!(code.to_string().parse::<ErrorCode>(), Ok(code));
        }
        assert!("ERR_IOT_HTTPS_LOAD_REQUEST_STATUS abc"
            .parse::<ErrorCode>()
            .is_err());
    }
}
