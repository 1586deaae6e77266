//! The forms a shop owner fixes the box with, and the pieces they share. Each is a plain HTML
//! form that Leptos enhances, so it works with and without JavaScript.

pub mod admin_password;
pub mod credential;
pub mod field;
pub mod form_message;
pub mod log_in;
pub mod log_level;
pub mod odoo_server;
pub mod problem;
pub mod settings_backup;
