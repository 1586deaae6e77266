//! The Odoo server the box is connected to, as a person types its address, or pastes the
//! pairing token the ERP's IoT app shows (`<url>|<token>|<db_uuid>|<contract_number>`).

use super::credential::CredentialProblem;
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
    #[error(
        "This looks like a pairing token, but it has {0} parts: the token the IoT app shows \
         has 4 (address|token|database UUID|contract number). Paste it whole."
    )]
    TokenParts(usize),
    #[error("The pairing token's address is not right: {0}")]
    TokenAddress(Box<ServerUrlProblem>),
    #[error("The pairing token's credential is not right: {0}")]
    TokenCredential(CredentialProblem),
}
