//! TLS as the tests' clients speak it: trusting a given root, or anything (to look at what
//! the box presents), and one HTTP/1.1 request over a connection kept open.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;

pub type TlsStream = rustls::StreamOwned<rustls::ClientConnection, TcpStream>;

/// Makes one HTTP/1.1 request on an open TLS stream, reads the whole answer, and returns
/// its status line; the connection stays open for the next request.
pub fn get_over(stream: &mut TlsStream) -> String {
    stream
        .write_all(b"GET /api/status HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        let read = stream.read(&mut buffer).unwrap();
        assert!(read > 0, "the connection closed");
        received.extend_from_slice(&buffer[..read]);
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&received[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .expect("a content length");
    while received.len() < head_end + length {
        let read = stream.read(&mut buffer).unwrap();
        assert!(read > 0, "the connection closed");
        received.extend_from_slice(&buffer[..read]);
    }
    head.lines().next().unwrap_or_default().to_string()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresentedCertificate {
    pub fingerprint: String,
    pub common_name: String,
    pub serial: String,
}

impl PresentedCertificate {
    pub fn of(connection: &rustls::ClientConnection) -> Self {
        let leaf = &connection.peer_certificates().unwrap()[0];
        let (_, parsed) = x509_parser::parse_x509_certificate(leaf.as_ref()).unwrap();
        let common_name = parsed
            .subject()
            .iter_common_name()
            .next()
            .and_then(|cn| cn.as_str().ok())
            .unwrap_or_default()
            .to_string();
        Self {
            fingerprint: iotbox_core::certificate::fingerprint::sha256_hex(leaf.as_ref()),
            common_name,
            serial: parsed.raw_serial_as_string(),
        }
    }
}

pub fn trusting(ca_file: &Path) -> ClientConfig {
    let mut roots = RootCertStore::empty();
    for certificate in CertificateDer::pem_file_iter(ca_file).unwrap() {
        roots.add(certificate.unwrap()).unwrap();
    }
    trusting_roots(roots)
}

pub fn trusting_roots(roots: RootCertStore) -> ClientConfig {
    iotbox_core::tls::client_config()
        .with_root_certificates(roots)
        .with_no_client_auth()
}

#[derive(Debug)]
struct AcceptAnything;

impl ServerCertVerifier for AcceptAnything {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        iotbox_core::tls::provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A client that accepts any certificate: the tests look at what is presented, whoever signed
/// it.
pub fn accepting_anything() -> ClientConfig {
    iotbox_core::tls::client_config()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AcceptAnything))
        .with_no_client_auth()
}
