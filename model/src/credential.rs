//! The credential the certificate server asks for: the Odoo database UUID and the contract
//! number. The box checks it; the contract number is a secret, so the page only ever gets it
//! masked.

use serde::{Deserialize, Serialize};

pub const DB_UUID_FIELD: &str = "db_uuid";
pub const CONTRACT_NUMBER_FIELD: &str = "contract_number";
pub const MAX_CONTRACT_NUMBER_CHARS: usize = 64;

/// What the page knows of the saved credential.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialStatus {
    pub db_uuid: Option<String>,
    /// All but the last four characters hidden.
    pub contract_number_masked: Option<String>,
}

/// Why the box refuses a credential, one field at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum CredentialProblem {
    #[error("Enter the database UUID.")]
    DbUuidMissing,
    #[error(
        "This is not a database UUID: it looks like 6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10 \
         (Odoo shows it in Settings, with developer mode on)."
    )]
    DbUuidMalformed,
    #[error("Enter the contract number.")]
    ContractNumberMissing,
    #[error("A contract number has at most {MAX_CONTRACT_NUMBER_CHARS} characters.")]
    ContractNumberTooLong,
    #[error("The contract number contains invisible control characters; type it again.")]
    ContractNumberControlCharacters,
}

impl CredentialProblem {
    /// The form field the problem is about.
    pub fn field(self) -> &'static str {
        match self {
            Self::DbUuidMissing | Self::DbUuidMalformed => DB_UUID_FIELD,
            Self::ContractNumberMissing
            | Self::ContractNumberTooLong
            | Self::ContractNumberControlCharacters => CONTRACT_NUMBER_FIELD,
        }
    }
}
