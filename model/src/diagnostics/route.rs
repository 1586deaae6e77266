//! The way to the certificate server, step by step (DNS, TCP, TLS, HTTP), each step with its
//! result and how long it took, and what the first failing step means.

use serde::{Deserialize, Serialize};

/// One run of the check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteDiagnosis {
    /// When the run started (RFC 3339).
    pub at: String,
    pub steps: Vec<RouteStep>,
    /// What the first failing step means; `Fine` when every step worked.
    pub verdict: RouteVerdict,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The server's name to addresses.
    Dns,
    /// A connection to its port.
    Tcp,
    /// The secure connection, checked against the roots the box trusts.
    Tls,
    /// An answer to a plain `HEAD /`: never a certificate request, no credential sent.
    Http,
}

impl Step {
    /// In the order they are taken.
    pub const ALL: [Self; 4] = [Self::Dns, Self::Tcp, Self::Tls, Self::Http];

    /// As the JSON API spells it.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Dns => "dns",
            Self::Tcp => "tcp",
            Self::Tls => "tls",
            Self::Http => "http",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteStep {
    pub step: Step,
    pub ok: bool,
    /// What happened, in a few words: the addresses found, the error, the status.
    pub detail: String,
    pub duration_ms: u64,
}

/// The cause the first failing step points to; each has its fix on the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteVerdict {
    Fine,
    /// The name does not resolve: no Internet access, or no working DNS.
    NoDns,
    /// The port refuses, or never answers: a firewall blocks the box.
    Blocked,
    /// The connection is cut before it is secured: a firewall or a proxy drops it.
    Cut,
    /// Another certificate answers in the server's place: a proxy, VPN or firewall that
    /// inspects HTTPS (`issuer` is who issued what answered).
    Intercepted {
        issuer: String,
    },
    /// The server's certificate is not valid at the box's time: most often a wrong clock.
    CertificateDates,
    /// The secure connection fails for another reason.
    TlsFailed,
    /// The server accepts the connection but does not answer.
    Silent,
    /// The server answers with an error: it may be down for maintenance.
    ServerError {
        status: u16,
    },
}

impl RouteVerdict {
    /// As the JSON API spells it.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Fine => "fine",
            Self::NoDns => "no_dns",
            Self::Blocked => "blocked",
            Self::Cut => "cut",
            Self::Intercepted { .. } => "intercepted",
            Self::CertificateDates => "certificate_dates",
            Self::TlsFailed => "tls_failed",
            Self::Silent => "silent",
            Self::ServerError { .. } => "server_error",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page marks steps and verdicts with `kind()`: it must be what the JSON API says.
    fn serde_name(value: serde_json::Value) -> String {
        match value {
            serde_json::Value::String(name) => name,
            serde_json::Value::Object(fields) => fields.keys().next().unwrap().clone(),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn kinds_are_the_json_names() {
        for step in Step::ALL {
            assert_eq!(serde_name(serde_json::to_value(step).unwrap()), step.kind());
        }
        for verdict in [
            RouteVerdict::Fine,
            RouteVerdict::NoDns,
            RouteVerdict::Blocked,
            RouteVerdict::Cut,
            RouteVerdict::Intercepted { issuer: "x".into() },
            RouteVerdict::CertificateDates,
            RouteVerdict::TlsFailed,
            RouteVerdict::Silent,
            RouteVerdict::ServerError { status: 503 },
        ] {
            assert_eq!(
                serde_name(serde_json::to_value(&verdict).unwrap()),
                verdict.kind()
            );
        }
    }
}
