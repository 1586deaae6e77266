//! The Odoo server the box is connected to, as a person types its address.

use serde::{Deserialize, Serialize};

pub const SERVER_URL_FIELD: &str = "server_url";

/// Why the box refuses an Odoo server address; each message says how to write it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ServerUrlProblem {
    #[error("Enter the full address of the Odoo server, for example https://mycompany.odoo.com")]
    NotAnAddress,
    /// A password in the address would be shown and logged wherever the address is.
    #[error("The address must not contain a user name or password.")]
    UserOrPassword,
    #[error("The address has no server name.")]
    NoServerName,
    #[error("The address must start with https:// or http://, not {0}://")]
    Scheme(String),
}
