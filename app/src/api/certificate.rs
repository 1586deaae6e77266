//! "Try again": asks for a certificate now, skipping the back-off (within the box's bound of
//! one such request per 10 seconds), even to replace a certificate it cannot read.

use crate::api::form_error::FormError;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "certificate/try-again")]
pub async fn try_again() -> Result<(), FormError> {
    super::the_box().try_again();
    Ok(())
}
