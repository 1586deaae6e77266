//! Saving and clearing the credential the certificate server asks for.

use crate::api::form_error::FormError;
use leptos::prelude::*;

/// The box checks both fields, saves them and asks for a certificate at once.
#[server(prefix = "/api", endpoint = "credential/save")]
pub async fn save_credential(db_uuid: String, contract_number: String) -> Result<(), FormError> {
    super::the_box()
        .save_credential(db_uuid, contract_number)
        .await
        .map_err(super::refusal)
}

#[server(prefix = "/api", endpoint = "credential/clear")]
pub async fn clear_credential() -> Result<(), FormError> {
    super::the_box()
        .clear_credential()
        .await
        .map_err(super::refusal)
}
