//! Why the box refused a change, as the box says it: the page words each problem in its
//! language, next to its field (`app`'s `FormError`).

use crate::access::PasswordProblem;
use crate::credential::CredentialProblem;
use crate::odoo_server::ServerUrlProblem;

/// Why the box refused a change, as the box says it; the page shows it as a `FormError`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("the credential is not valid")]
    Credential(Vec<CredentialProblem>),
    #[error(transparent)]
    ServerUrl(ServerUrlProblem),
    #[error(transparent)]
    Password(PasswordProblem),
    /// The settings file could not be read or written; the message says which and why.
    #[error("{0}")]
    Settings(String),
}
