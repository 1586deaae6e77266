//! The IoT box: everything the `iotbox` binary runs. Arrows go one way, down this list:
//! - `web`: the router, the request guards, the log download, and `app`'s interface to the
//!   box (`page_api`);
//! - `connections`: the one accept loop of both listeners, with its timeouts and caps;
//! - `iot_box`: the running box, tying the parts below together;
//! - `access`: the optional admin password, sessions, and the slow-down of wrong passwords;
//! - `certificate`: the HTTPS certificate's life as files (check, load, pair, store, serve,
//!   schedule, engine);
//! - `diagnostics`: why the certificate cannot be had, found out step by step;
//! - `support_report`: one download with what a support ticket needs;
//! - `metrics`: the box's figures for a fleet's Prometheus;
//! - `logs`: log levels, the log file and where lines go;
//! - `settings`: the settings file, the credential, the Odoo server address;
//! - `clock`, `client_device`, `network_identity`, `files`, `timestamp`, `tls`, `shutdown`,
//!   `memory`, `supervisor` (readiness and watchdog under systemd): what the parts above
//!   stand on.
//!
//! Beside them, `local_ca` is a certificate server for tests and demos, `local_dns` a DNS
//! server that answers as the vendor's domain does, and `command_line`
//! the binary's flags. Nothing here imports Leptos but `web`.

pub mod access;
pub mod blocking;
pub mod box_identifier;
pub mod certificate;
pub mod client_device;
pub mod clock;
pub mod command_line;
pub mod connections;
pub mod diagnostics;
pub mod files;
pub mod iot_box;
pub mod local_ca;
pub mod local_dns;
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
pub mod web;
