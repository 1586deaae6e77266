//! The types the page and the box share: what the box reports and why it refuses a change.
//! Plain data with serde, no I/O, so both the server and the browser build them.

pub mod access;
pub mod box_status;
pub mod certificate;
pub mod change_error;
pub mod clock;
pub mod credential;
pub mod diagnostics;
pub mod erp_update;
pub mod error_code;
pub mod log_level;
pub mod log_view;
pub mod odoo_server;
pub mod repairs;
pub mod settings_backup;
