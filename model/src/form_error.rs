//! Why the box refused a form: a problem for each field that needs correcting, or what went
//! wrong on the box. A refusal travels the same way with and without JavaScript (without, in
//! the URL of the page the browser is sent back to), so it never carries the values the user
//! typed. Problems travel as values, not sentences: the page words them in its language.

use super::access::PasswordProblem;
use super::credential::CredentialProblem;
use super::odoo_server::{ServerUrlProblem, SERVER_URL_FIELD};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum FormError {
    #[error("Please correct the fields marked below; nothing was saved.")]
    Fields(Vec<FieldError>),
    #[error("The box could not save this: {0}")]
    Refused(String),
    #[error("The box could not be reached: {0}")]
    Transport(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The `name` of the form field.
    pub field: String,
    pub problem: FieldProblem,
}

/// What is wrong with one field; its English wording is for logs and scripts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum FieldProblem {
    #[error(transparent)]
    Credential(CredentialProblem),
    #[error(transparent)]
    ServerUrl(ServerUrlProblem),
    #[error(transparent)]
    Password(PasswordProblem),
    #[error("Choose one of the levels offered.")]
    UnknownLogLevel,
}

impl FieldError {
    pub fn new(field: &str, problem: FieldProblem) -> Self {
        Self {
            field: field.to_string(),
            problem,
        }
    }
}

impl FormError {
    /// A refusal of one field.
    pub fn field(field: &str, problem: FieldProblem) -> Self {
        Self::Fields(vec![FieldError::new(field, problem)])
    }

    /// The problem of one field, if it has one.
    pub fn for_field(&self, field: &str) -> Option<FieldProblem> {
        match self {
            Self::Fields(errors) => errors
                .iter()
                .find(|error| error.field == field)
                .map(|error| error.problem.clone()),
            _ => None,
        }
    }
}

/// Why the box refused a change, as the box says it; the page shows it as a [`FormError`].
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

impl From<ChangeError> for FormError {
    fn from(error: ChangeError) -> Self {
        match error {
            ChangeError::Credential(problems) => Self::Fields(
                problems
                    .into_iter()
                    .map(|problem| {
                        FieldError::new(problem.field(), FieldProblem::Credential(problem))
                    })
                    .collect(),
            ),
            ChangeError::ServerUrl(problem) => {
                Self::field(SERVER_URL_FIELD, FieldProblem::ServerUrl(problem))
            }
            ChangeError::Password(problem) => {
                Self::field(problem.field(), FieldProblem::Password(problem))
            }
            ChangeError::Settings(message) => Self::Refused(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::credential::{CONTRACT_NUMBER_FIELD, DB_UUID_FIELD};

    #[test]
    fn each_refusal_lands_next_to_its_field() {
        let error = FormError::from(ChangeError::Credential(vec![
            CredentialProblem::DbUuidMalformed,
            CredentialProblem::ContractNumberMissing,
        ]));
        assert_eq!(
            error.for_field(DB_UUID_FIELD),
            Some(FieldProblem::Credential(CredentialProblem::DbUuidMalformed))
        );
        assert_eq!(
            error
                .for_field(CONTRACT_NUMBER_FIELD)
                .map(|p| p.to_string()),
            Some("Enter the contract number.".to_string())
        );
        let error = FormError::from(ChangeError::ServerUrl(ServerUrlProblem::NoServerName));
        assert!(error.for_field(SERVER_URL_FIELD).is_some());
        let error = FormError::from(ChangeError::Settings("disk full".into()));
        assert_eq!(error, FormError::Refused("disk full".into()));
    }
}
