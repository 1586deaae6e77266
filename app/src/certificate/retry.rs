//! "Try again": asks for a certificate now, skipping the back-off (within the engine's
//! bound of one such request per 10 seconds), even to replace a certificate it cannot read.

use crate::form::FormError;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "certificate/try-again")]
pub async fn try_again() -> Result<(), FormError> {
    crate::iot_box::from_context().certificate().try_again();
    Ok(())
}
