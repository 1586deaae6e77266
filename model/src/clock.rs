//! When the box's clock is wrong, and how the box knows: TLS and certificates are only as
//! right as the clock that checks them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockProblem {
    /// What the box's clock says (RFC 3339).
    pub box_time: String,
    pub evidence: ClockEvidence,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockEvidence {
    /// Earlier than the day this software was built: the clock was never set.
    BeforeBuild { built: String },
    /// Far from the certificate server's clock, as its last answer said.
    CertificateServer { server_time: String },
}
