//! Connecting the box to an Odoo server, and disconnecting it.

use crate::api::form_error::FormError;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "odoo-server/connect")]
pub async fn connect_odoo_server(server_url: String) -> Result<(), FormError> {
    super::the_box()
        .connect_odoo_server(server_url)
        .await
        .map_err(super::refusal)
}

/// Also clears the credential, as on the reference box.
#[server(prefix = "/api", endpoint = "odoo-server/disconnect")]
pub async fn disconnect_odoo_server() -> Result<(), FormError> {
    super::the_box()
        .disconnect_odoo_server()
        .await
        .map_err(super::refusal)
}
