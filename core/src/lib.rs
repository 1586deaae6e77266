//! The IoT box's domain: everything it does but speak HTTP. No web framework here (Cargo
//! keeps it so: this crate depends on none), so its tests build without Leptos or axum.
//! Arrows go one way, down this list:
//! - `iot_box`: the running box, tying the parts below together, and what a person can ask
//!   of it;
//! - `access`: the optional admin password, sessions, and the slow-down of wrong passwords;
//! - `certificate`: the HTTPS certificate's life as files (check, load, pair, store, serve,
//!   schedule, engine);
//! - `diagnostics`: why the certificate cannot be had, found out step by step;
//! - `support_report`: one download with what a support ticket needs;
//! - `metrics`: the box's figures for a fleet's Prometheus;
//! - `logs`: log levels, the log file and where lines go;
//! - `settings`: the settings file, the credential, the Odoo server address;
//! - `clock`, `client_device`, `network_identity`, `box_identifier`, `files`, `timestamp`,
//!   `tls`, `blocking`, `shutdown`, `memory`, `supervisor` (readiness and watchdog under
//!   systemd): what the parts above stand on.

pub mod access;
pub mod blocking;
pub mod box_identifier;
pub mod certificate;
pub mod client_device;
pub mod clock;
pub mod diagnostics;
pub mod files;
pub mod iot_box;
pub mod logs;
pub mod memory;
pub mod metrics;
pub mod network_identity;
pub mod settings;
pub mod shutdown;
pub mod supervisor;
pub mod support_report;
pub mod timestamp;
pub mod tls;
