//! The one TLS set-up of the box, its certificate server client and the local certificate
//! authority: rustls on ring, TLS 1.2 and 1.3 with rustls's safe defaults.

use rustls::{ClientConfig, ConfigBuilder, RootCertStore, ServerConfig, WantsVerifier};
use rustls_pki_types::CertificateDer;
use std::sync::Arc;

pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

pub fn server_config() -> ConfigBuilder<ServerConfig, WantsVerifier> {
    ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
}

pub fn client_config() -> ConfigBuilder<ClientConfig, WantsVerifier> {
    ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
}

/// The roots the box trusts for the certificate server: the system's, and `extra` (the
/// `--cert-server-ca` file). Fails when an extra root cannot be used as a trust anchor.
pub fn certificate_server_roots(
    extra: &[CertificateDer<'static>],
) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    let system = rustls_native_certs::load_native_certs();
    let (added, _) = roots.add_parsable_certificates(system.certs);
    if added == 0 {
        tracing::warn!(errors = ?system.errors, "no system root certificates found");
    }
    for root in extra {
        roots
            .add(root.clone())
            .map_err(|e| format!("the extra root certificate cannot be trusted: {e}"))?;
    }
    Ok(roots)
}
