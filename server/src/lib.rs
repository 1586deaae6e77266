//! The `iotbox` binary around the box's domain (`iotbox_core`): the web layer and the wiring.
//! Arrows go one way, down this list:
//! - `web`: the router, the request guards, the log download, and `app`'s interface to the
//!   box (`page_api`);
//! - `connections`: the one accept loop of both listeners, with its timeouts and caps;
//! - `command_line`: the binary's flags.
//!
//! Beside them, for tests and demos only: `local_ca`, a certificate server, and `local_dns`,
//! a DNS server that answers as the vendor's domain does. Only the `iotbox-local` binary
//! (`src/bin/`) runs them; the box's binary, and so its package, leaves them out.

pub mod command_line;
pub mod connections;
pub mod local_ca;
pub mod local_dns;
pub mod web;
