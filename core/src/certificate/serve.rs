//! Serving: the HTTPS listener asks this resolver for the certificate at every handshake, and
//! a new pair is swapped in memory. No restart, no dropped connection: connections already
//! open keep their session, the next handshake presents the new certificate.

use super::pair::CertificatePair;
use arc_swap::ArcSwap;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::ServerConfig;
use std::sync::Arc;

#[derive(Debug)]
pub struct ServedCertificate {
    current: ArcSwap<CertificatePair>,
}

impl ServedCertificate {
    pub fn new(pair: Arc<CertificatePair>) -> Self {
        Self {
            current: ArcSwap::new(pair),
        }
    }

    pub fn current(&self) -> Arc<CertificatePair> {
        self.current.load_full()
    }

    pub fn replace(&self, pair: Arc<CertificatePair>) {
        self.current.store(pair);
    }

    /// The TLS settings of the HTTPS listener: rustls defaults (TLS 1.2 and 1.3), HTTP/2 or
    /// HTTP/1.1, certificate from this resolver.
    pub fn tls_config(self: &Arc<Self>) -> ServerConfig {
        let mut config = crate::tls::server_config()
            .with_no_client_auth()
            .with_cert_resolver(self.clone());
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        config
    }
}

impl ResolvesServerCert for ServedCertificate {
    fn resolve(&self, _client_hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current.load().certified_key.clone())
    }
}
