//! The box's HTTPS certificate, its life as files (as certmagic sees a certificate's life):
//! - `check`: does the box need a new certificate, in the documented order;
//! - `load`: asks the certificate server, wire-compatible with the vendor's;
//! - `pair`: a certificate and its key, parsed and checked before anything trusts them;
//! - `store`: the files on disk, switched atomically;
//! - `serve`: the certificate the HTTPS listener presents, swapped without a restart;
//! - `backoff` and `schedule`: when to ask again, and what to report (pure decisions);
//! - `engine`: the one worker that carries the decisions out;
//! - `erp_update`: tells the connected Odoo server the end date of each stored certificate;
//! - `temporary`, `https_address`, `fingerprint`: what the others need on the way.

pub mod backoff;
pub mod check;
pub mod engine;
pub mod erp_update;
pub mod fingerprint;
pub mod https_address;
pub mod json_rpc;
pub mod load;
pub mod pair;
pub mod schedule;
pub mod serve;
pub mod store;
pub mod temporary;

/// The common name of the self-signed certificate the box serves until it has a real one.
pub const TEMPORARY_CN: &str = "OdooTempIoTBoxCertificate";

#[cfg(test)]
mod tests {
    use crate::logs::levels::targets;
    use model::log_level::Component;

    #[test]
    fn its_log_level_covers_this_module() {
        let this_module = module_path!().strip_suffix("::tests").unwrap();
        assert!(targets(Component::Certificate).contains(&this_module));
    }
}
