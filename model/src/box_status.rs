//! The box status: what the homepage shows, also served as plain JSON at `GET /api/status`.

use super::access::AccessStatus;
use super::certificate::CertificateStatus;
use super::clock::ClockProblem;
use super::credential::CredentialStatus;
use super::diagnostics::DiagnosticsReport;
use super::erp_update::{BoxIdentifier, ErpUpdate};
use super::log_level::LogLevelStatus;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoxStatus {
    /// The box name (its host name).
    pub name: String,
    pub version: String,
    /// The address other devices reach the box at; `None` when no interface is up.
    pub ip_address: Option<String>,
    /// The homepage by that address over plain HTTP: the way in while the HTTPS address does
    /// not resolve.
    pub homepage_by_ip: Option<String>,
    pub mac_address: Option<String>,
    /// What the box calls itself when it tells the Odoo server of its certificate.
    pub identifier: BoxIdentifier,
    /// The connected Odoo server; `None` while the box is not connected.
    pub odoo_server: Option<String>,
    /// The contract number only masked: it is a secret.
    pub credential: CredentialStatus,
    pub log_level: LogLevelStatus,
    /// Why the settings file could not be read, when it could not; the box then keeps the
    /// settings it read last.
    pub settings_problem: Option<String>,
    pub certificate: CertificateStatus,
    /// The box's clock is wrong, and how the box knows; `None` while nothing says so.
    pub clock_problem: Option<ClockProblem>,
    /// Whether the system says its clock is synchronised (NTP); `None` where it cannot tell.
    pub clock_synchronised: Option<bool>,
    /// The last result of each diagnostic check, automatic after a failed request or asked
    /// for.
    pub diagnostics: DiagnosticsReport,
    /// Whether the connected Odoo server was told the end date of the last certificate the
    /// box stored since it started; `None` before any.
    pub erp_update: Option<ErpUpdate>,
    /// Whether an admin password guards changes, and whether this browser is logged in.
    pub access: AccessStatus,
    /// How often the page asks for this status again.
    pub poll_interval_ms: u32,
}
