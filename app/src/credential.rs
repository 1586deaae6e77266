//! The credential the certificate server asks for: the Odoo database UUID and the contract
//! number. Validated on the box; the contract number is a secret, so the page only ever
//! gets it masked.

#[cfg(feature = "ssr")]
use crate::form::FieldError;
use crate::form::{Field, FormError, FormMessage};
use crate::live_status::refresh_when;
use leptos::prelude::*;
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

/// Checks both fields and gives them back normalised (the UUID in its usual lowercase,
/// hyphenated form; the contract number trimmed), or a message for each field that is wrong.
#[cfg(feature = "ssr")]
pub fn validate(db_uuid: &str, contract_number: &str) -> Result<(String, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let db_uuid = match uuid::Uuid::try_parse(db_uuid.trim()) {
        Ok(uuid) => uuid.hyphenated().to_string(),
        Err(_) if db_uuid.trim().is_empty() => {
            errors.push(FieldError::new(DB_UUID_FIELD, "Enter the database UUID."));
            String::new()
        }
        Err(_) => {
            errors.push(FieldError::new(
                DB_UUID_FIELD,
                "This is not a database UUID: it looks like 6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10 \
                 (Odoo shows it in Settings, with developer mode on).",
            ));
            String::new()
        }
    };
    let contract_number = contract_number.trim();
    if contract_number.is_empty() {
        errors.push(FieldError::new(
            CONTRACT_NUMBER_FIELD,
            "Enter the contract number.",
        ));
    } else if contract_number.chars().count() > MAX_CONTRACT_NUMBER_CHARS {
        errors.push(FieldError::new(
            CONTRACT_NUMBER_FIELD,
            format!("A contract number has at most {MAX_CONTRACT_NUMBER_CHARS} characters."),
        ));
    } else if contract_number.chars().any(char::is_control) {
        errors.push(FieldError::new(
            CONTRACT_NUMBER_FIELD,
            "The contract number contains invisible control characters; type it again.",
        ));
    }
    if errors.is_empty() {
        Ok((db_uuid, contract_number.to_string()))
    } else {
        Err(errors)
    }
}

/// Saves the credential and asks for a certificate at once.
#[server(prefix = "/api", endpoint = "credential/save")]
pub async fn save_credential(db_uuid: String, contract_number: String) -> Result<(), FormError> {
    let (db_uuid, contract_number) =
        validate(&db_uuid, &contract_number).map_err(FormError::Fields)?;
    crate::iot_box::from_context()
        .save_credential(db_uuid, contract_number)
        .map_err(|e| FormError::Refused(e.to_string()))
}

#[server(prefix = "/api", endpoint = "credential/clear")]
pub async fn clear_credential() -> Result<(), FormError> {
    crate::iot_box::from_context()
        .clear_credential()
        .map_err(|e| FormError::Refused(e.to_string()))
}

#[component]
pub fn CredentialForm(credential: Signal<CredentialStatus>) -> impl IntoView {
    let save = ServerAction::<SaveCredential>::new();
    let clear = ServerAction::<ClearCredential>::new();
    refresh_when(save.version());
    refresh_when(clear.version());
    let error = move || save.value().get().and_then(Result::err);
    let field_error = move |field: &'static str| move || error().and_then(|e| e.for_field(field));

    view! {
        <section class="panel" id="credential" aria-labelledby="credential-title">
            <h2 id="credential-title">"Credential"</h2>
            <p class="panel__hint">
                "The certificate server gives this box its HTTPS certificate for your Odoo \
                 database and contract."
            </p>
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <FormMessage error=Signal::derive(error) saved=save.version() />
                <Field
                    name=DB_UUID_FIELD
                    label="Database UUID"
                    value=Signal::derive(move || credential.read().db_uuid.clone().unwrap_or_default())
                    error=Signal::derive(field_error(DB_UUID_FIELD))
                    hint=""
                />
                <Field
                    name=CONTRACT_NUMBER_FIELD
                    label="Contract number"
                    // Emptied after each save: a secret does not stay on the screen.
                    value=Signal::derive(move || {
                        save.version().track();
                        String::new()
                    })
                    error=Signal::derive(field_error(CONTRACT_NUMBER_FIELD))
                    hint=Signal::derive(move || {
                        credential
                            .read()
                            .contract_number_masked
                            .clone()
                            .map(|masked| format!("Saved: {masked}. Type it again to change it."))
                            .unwrap_or_default()
                    })
                />
                <div class="form__buttons">
                    <button type="submit" class="button button--primary">"Save"</button>
                </div>
            </ActionForm>
            <ActionForm action=clear attr:class="form form--inline">
                <button type="submit" class="button">"Clear the credential"</button>
            </ActionForm>
        </section>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn fields(result: Result<(String, String), Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn accepts_and_normalises_a_good_credential() {
        assert_eq!(
            validate(" 6F2D1D34-0D8E-4C8F-9A7B-3E5F1C2A9B10 ", "  M2611250001 "),
            Ok((
                "6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10".to_string(),
                "M2611250001".to_string()
            ))
        );
    }

    #[test]
    fn refuses_each_bad_field_with_its_own_message() {
        assert_eq!(
            fields(validate("", "")),
            [DB_UUID_FIELD, CONTRACT_NUMBER_FIELD]
        );
        assert_eq!(fields(validate("not-a-uuid", "M1")), [DB_UUID_FIELD]);
        let uuid = "6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10";
        assert_eq!(
            fields(validate(uuid, &"9".repeat(65))),
            [CONTRACT_NUMBER_FIELD]
        );
        assert_eq!(
            fields(validate(uuid, "M26\u{7}11")),
            [CONTRACT_NUMBER_FIELD]
        );
    }
}
