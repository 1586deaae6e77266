//! Whether the Odoo server was told of the certificate's end date, as the box tells it after
//! each certificate it stores, so that the ERP can show when each box's certificate expires;
//! and the name the box gives itself there.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErpUpdate {
    /// When the box told it, or tried to (RFC 3339).
    pub at: String,
    /// The end date it told (RFC 3339).
    pub not_after: String,
    /// The name it gave itself.
    pub identifier: BoxIdentifier,
    /// Why the Odoo server was not told, when it was not: the renewal itself is not affected.
    pub problem: Option<String>,
}

/// What the box sends as its `identifier`: the ERP matches boxes by it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoxIdentifier {
    pub value: String,
    pub source: IdentifierSource,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierSource {
    /// The Raspberry Pi's serial number, as Odoo's own box sends from Odoo 19.
    SerialNumber,
    /// The MAC address, as boxes up to Odoo 18 sent; hardware without a serial number.
    MacAddress,
    /// The host name, when the box has neither.
    HostName,
}
