//! Whether the Odoo server was told of the certificate's end date, as the box tells it after
//! each certificate it stores, so that the ERP can show when each box's certificate expires.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErpUpdate {
    /// When the box told it, or tried to (RFC 3339).
    pub at: String,
    /// The end date it told (RFC 3339).
    pub not_after: String,
    /// Why the Odoo server was not told, when it was not: the renewal itself is not affected.
    pub problem: Option<String>,
}
