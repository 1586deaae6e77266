//! What the certificate server presented during the handshake: the route's TLS step checks
//! it as the box's requests do (`Recording`), and keeps it, so that a refusal can say who
//! issued what answered, for whom, and until when.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::sync::{Arc, Mutex};

/// Checks the server's certificate as the box's requests do, and keeps what was presented,
/// so that a refusal can say who answered.
#[derive(Debug)]
pub struct Recording {
    checks: Arc<WebPkiServerVerifier>,
    presented: Mutex<Option<Vec<u8>>>,
}

impl Recording {
    pub fn new(roots: Arc<RootCertStore>) -> Self {
        let checks = WebPkiServerVerifier::builder_with_provider(roots, crate::tls::provider())
            .build()
            .expect("the roots hold at least one trust anchor, or the checks refuse all");
        Self {
            checks,
            presented: Mutex::new(None),
        }
    }

    pub fn presented(&self) -> Option<Vec<u8>> {
        self.presented
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        *self.presented.lock().unwrap_or_else(|e| e.into_inner()) = Some(end_entity.to_vec());
        self.checks
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.checks
            .verify_tls12_signature(message, certificate, signature)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.checks
            .verify_tls13_signature(message, certificate, signature)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.checks.supported_verify_schemes()
    }
}

/// "issued by <issuer> for <subject>, valid until <date>".
pub fn describe(der: &[u8]) -> String {
    match x509_parser::parse_x509_certificate(der) {
        Ok((_, certificate)) => format!(
            "issued by {} for {}, valid until {}",
            issuer_of(der),
            first_name(certificate.subject()),
            crate::timestamp::rfc3339(certificate.validity().not_after.to_datetime())
        ),
        Err(_) => "a certificate that cannot be read".to_string(),
    }
}

pub fn issuer_of(der: &[u8]) -> String {
    x509_parser::parse_x509_certificate(der)
        .map(|(_, certificate)| first_name(certificate.issuer()))
        .unwrap_or_default()
}

/// The common name of a distinguished name, or its organisation.
fn first_name(name: &x509_parser::x509::X509Name<'_>) -> String {
    name.iter_common_name()
        .chain(name.iter_organization())
        .find_map(|attribute| attribute.as_str().ok())
        .unwrap_or("(no name)")
        .to_string()
}
