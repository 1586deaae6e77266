//! A refused form in the page's language: the words for each field problem and each refusal.
//! The box sends problems as values ([`FieldProblem`]); their English `Display` is for logs.

use crate::api::form_error::{FieldProblem, FormError};
use crate::i18n::*;
use crate::model::access::{PasswordProblem, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use crate::model::credential::{CredentialProblem, MAX_CONTRACT_NUMBER_CHARS};
use crate::model::odoo_server::ServerUrlProblem;

/// What the page says above a refused form.
pub fn form_error_text(error: &FormError, locale: Locale) -> String {
    match error {
        FormError::Fields(_) => td_string!(locale, forms.problem.fields).to_string(),
        FormError::Refused(detail) => td_string!(locale, forms.problem.refused, detail).to_string(),
        FormError::Transport(detail) => {
            td_string!(locale, forms.problem.transport, detail).to_string()
        }
    }
}

/// What the page says next to a refused field.
pub fn field_problem_text(problem: &FieldProblem, locale: Locale) -> String {
    match problem {
        FieldProblem::Credential(problem) => credential_text(*problem, locale),
        FieldProblem::ServerUrl(problem) => server_url_text(problem, locale),
        FieldProblem::Password(problem) => password_text(problem, locale),
        FieldProblem::UnknownLogLevel => td_string!(locale, forms.problem.unknown_log_level).into(),
    }
}

fn credential_text(problem: CredentialProblem, locale: Locale) -> String {
    match problem {
        CredentialProblem::DbUuidMissing => {
            td_string!(locale, forms.problem.db_uuid_missing).into()
        }
        CredentialProblem::DbUuidMalformed => {
            td_string!(locale, forms.problem.db_uuid_malformed).into()
        }
        CredentialProblem::ContractNumberMissing => {
            td_string!(locale, forms.problem.contract_number_missing).into()
        }
        CredentialProblem::ContractNumberTooLong => td_string!(
            locale,
            forms.problem.contract_number_too_long,
            max = MAX_CONTRACT_NUMBER_CHARS
        )
        .to_string(),
        CredentialProblem::ContractNumberControlCharacters => {
            td_string!(locale, forms.problem.contract_number_control_characters).into()
        }
    }
}

fn server_url_text(problem: &ServerUrlProblem, locale: Locale) -> String {
    match problem {
        ServerUrlProblem::NotAnAddress => td_string!(locale, forms.problem.not_an_address).into(),
        ServerUrlProblem::UserOrPassword => {
            td_string!(locale, forms.problem.user_or_password).into()
        }
        ServerUrlProblem::NoServerName => td_string!(locale, forms.problem.no_server_name).into(),
        ServerUrlProblem::Scheme(scheme) => {
            td_string!(locale, forms.problem.scheme, scheme).to_string()
        }
        ServerUrlProblem::TokenParts(parts) => {
            td_string!(locale, forms.problem.token_parts, parts).to_string()
        }
        ServerUrlProblem::TokenAddress(inner) => {
            let problem = server_url_text(inner, locale);
            td_string!(locale, forms.problem.token_address, problem).to_string()
        }
        ServerUrlProblem::TokenCredential(inner) => {
            let problem = credential_text(*inner, locale);
            td_string!(locale, forms.problem.token_credential, problem).to_string()
        }
    }
}

fn password_text(problem: &PasswordProblem, locale: Locale) -> String {
    match problem {
        PasswordProblem::TooShort => td_string!(
            locale,
            forms.problem.password_too_short,
            min = MIN_PASSWORD_CHARS
        )
        .to_string(),
        PasswordProblem::TooLong => td_string!(
            locale,
            forms.problem.password_too_long,
            max = MAX_PASSWORD_CHARS
        )
        .to_string(),
        PasswordProblem::ControlCharacters => {
            td_string!(locale, forms.problem.password_control_characters).into()
        }
        PasswordProblem::Mismatch => td_string!(locale, forms.problem.password_mismatch).into(),
        PasswordProblem::Wrong => td_string!(locale, forms.problem.password_wrong).into(),
        PasswordProblem::CurrentWrong => {
            td_string!(locale, forms.problem.current_password_wrong).into()
        }
        PasswordProblem::SlowDown { seconds } => {
            td_string!(locale, forms.problem.slow_down, seconds).to_string()
        }
    }
}
