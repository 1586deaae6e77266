//! The box's HTTPS certificate, as certmagic sees a certificate's life: check it, load a new
//! one from the certificate server, store it, serve it, on a schedule. The engine ties them
//! together; the rest of the box only talks to the engine.

mod error_code;
pub mod help;
pub mod retry;
mod status;

pub use error_code::{CertificateError, ErrorCode};
pub use status::{date_part, CertificateState, CertificateStatus};

#[cfg(feature = "ssr")]
pub mod check;
#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
pub mod https_address;
#[cfg(feature = "ssr")]
pub mod load;
#[cfg(feature = "ssr")]
pub mod pair;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
pub mod serve;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod temporary;

/// The common name of the self-signed certificate the box serves until it has a real one.
pub const TEMPORARY_CN: &str = "OdooTempIoTBoxCertificate";
