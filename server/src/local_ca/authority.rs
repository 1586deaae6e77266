//! The local certificate authority's own root: created once in its folder (`ca.pem`, which the
//! box is told to trust, and `ca-key.pem`), then used to sign every certificate it issues.

use iotbox_core::files::atomic_file::{private_dir, write_atomically};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use time::{Duration, OffsetDateTime};

pub const CA_FILE: &str = "ca.pem";
const CA_KEY_FILE: &str = "ca-key.pem";

pub struct Authority {
    ca_pem: String,
    issuer: Issuer<'static, KeyPair>,
}

/// A certificate and its key, as PEM.
pub struct IssuedPem {
    /// The certificate followed by the root, as servers send their chain.
    pub chain: String,
    pub key: String,
}

impl Authority {
    /// Reads the root from `dir`, or creates it there.
    pub fn open_or_create(dir: &Path) -> Result<Self, String> {
        let ca_path = dir.join(CA_FILE);
        let key_path = dir.join(CA_KEY_FILE);
        let io = |path: &PathBuf, e: std::io::Error| format!("{}: {e}", path.display());
        if !ca_path.exists() {
            private_dir(dir).map_err(|e| io(&dir.to_path_buf(), e))?;
            let key = KeyPair::generate().map_err(|e| e.to_string())?;
            let mut params = CertificateParams::default();
            params
                .distinguished_name
                .push(DnType::CommonName, "IoT Box Local Certificate Authority");
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            let now = OffsetDateTime::now_utc();
            params.not_before = now - Duration::days(1);
            params.not_after = now + Duration::days(3650);
            let ca = params.self_signed(&key).map_err(|e| e.to_string())?;
            // The key first: a root without its key would be useless.
            write_atomically(&key_path, key.serialize_pem().as_bytes(), 0o600)
                .map_err(|e| io(&key_path, e))?;
            write_atomically(&ca_path, ca.pem().as_bytes(), 0o644).map_err(|e| io(&ca_path, e))?;
        }
        let ca_pem = std::fs::read_to_string(&ca_path).map_err(|e| io(&ca_path, e))?;
        let key_pem = std::fs::read_to_string(&key_path).map_err(|e| io(&key_path, e))?;
        let key = KeyPair::from_pem(&key_pem).map_err(|e| format!("{CA_KEY_FILE}: {e}"))?;
        let issuer =
            Issuer::from_ca_cert_pem(&ca_pem, key).map_err(|e| format!("{CA_FILE}: {e}"))?;
        Ok(Self { ca_pem, issuer })
    }

    /// Issues a server certificate for `names` (DNS names or IP addresses), the first one
    /// also its common name.
    pub fn issue(
        &self,
        names: &[String],
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
    ) -> Result<IssuedPem, String> {
        let key = KeyPair::generate().map_err(|e| e.to_string())?;
        let mut params = CertificateParams::new(names.to_vec()).map_err(|e| e.to_string())?;
        if let Some(first) = names.first() {
            params.distinguished_name.push(DnType::CommonName, first);
        }
        params.not_before = not_before;
        params.not_after = not_after;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        let certificate = params
            .signed_by(&key, &self.issuer)
            .map_err(|e| e.to_string())?;
        Ok(IssuedPem {
            chain: format!("{}{}", certificate.pem(), self.ca_pem),
            key: key.serialize_pem(),
        })
    }

    /// The TLS settings of the authority's own listener, with a certificate for loopback.
    pub fn tls_config(&self) -> Result<ServerConfig, String> {
        let now = OffsetDateTime::now_utc();
        let names = ["localhost", "127.0.0.1", "::1"].map(String::from);
        let issued = self.issue(&names, now - Duration::days(1), now + Duration::days(365))?;
        let chain = CertificateDer::pem_slice_iter(issued.chain.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        let key =
            PrivateKeyDer::from_pem_slice(issued.key.as_bytes()).map_err(|e| e.to_string())?;
        iotbox_core::tls::server_config()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| e.to_string())
    }
}
