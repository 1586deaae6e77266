//! A certificate and its private key, parsed and checked before the box trusts them: the PEM
//! parses, the key matches the certificate, and (for a pair just issued) it is currently valid
//! and names the expected subject.

use super::fingerprint::sha256_hex;
use super::TEMPORARY_CN;
use crate::timestamp::rfc3339;
use rustls::crypto::ring::sign::any_supported_type;
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::fmt;
use std::sync::Arc;
use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

/// What the box needs to know of a certificate, read once when it is parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateSummary {
    pub common_name: Option<String>,
    pub dns_names: Vec<String>,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    /// Colon-separated hex, as browsers show it.
    pub serial: String,
    /// SHA-256 of the leaf certificate, hex.
    pub fingerprint: String,
}

impl CertificateSummary {
    /// The self-signed certificate the box serves until it has a real one.
    pub fn is_temporary(&self) -> bool {
        self.common_name.as_deref() == Some(TEMPORARY_CN)
    }

    /// Whether `now` is within the certificate's validity.
    pub fn valid_at(&self, now: OffsetDateTime) -> bool {
        self.not_before <= now && now < self.not_after
    }

    /// True when the certificate is made for `subject` (its CN or one of its DNS names).
    pub fn names(&self, subject: &str) -> bool {
        self.common_name.as_deref() == Some(subject) || self.dns_names.iter().any(|n| n == subject)
    }
}

/// A parsed pair, ready to be stored and served.
#[derive(Clone)]
pub struct CertificatePair {
    /// The leaf certificate, then any chain certificates, as PEM.
    pub certificate_pem: String,
    pub private_key_pem: String,
    pub summary: CertificateSummary,
    pub certified_key: Arc<CertifiedKey>,
}

/// The key is a secret: only the certificate's summary is ever printed.
impl fmt::Debug for CertificatePair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertificatePair")
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PairError {
    #[error("the certificate is not valid PEM ({0})")]
    CertificatePem(String),
    #[error("no certificate was found in the PEM text")]
    NoCertificate,
    #[error("the certificate cannot be parsed ({0})")]
    CertificateDer(String),
    #[error("no usable private key was found in the PEM text ({0})")]
    KeyPem(String),
    #[error("the private key cannot be used ({0})")]
    KeyUnusable(String),
    #[error("the private key does not match the certificate")]
    KeyMismatch,
}

/// Why a freshly issued pair is refused although it parses.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IssuedPairError {
    #[error("the certificate is not valid before {0}")]
    NotYetValid(String),
    #[error("the certificate expired on {0}")]
    Expired(String),
    #[error("the certificate is made for {found}, not for {expected}")]
    WrongSubject { expected: String, found: String },
}

pub fn parse(certificate_pem: &str, private_key_pem: &str) -> Result<CertificatePair, PairError> {
    let chain = CertificateDer::pem_slice_iter(certificate_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PairError::CertificatePem(e.to_string()))?;
    let leaf = chain.first().ok_or(PairError::NoCertificate)?;
    let summary = summarize(leaf)?;
    let key = PrivateKeyDer::from_pem_slice(private_key_pem.as_bytes())
        .map_err(|e| PairError::KeyPem(e.to_string()))?;
    let signing_key =
        any_supported_type(&key).map_err(|e| PairError::KeyUnusable(e.to_string()))?;
    let certified_key = CertifiedKey::new(chain, signing_key);
    certified_key
        .keys_match()
        .map_err(|_| PairError::KeyMismatch)?;
    Ok(CertificatePair {
        certificate_pem: certificate_pem.to_string(),
        private_key_pem: private_key_pem.to_string(),
        summary,
        certified_key: Arc::new(certified_key),
    })
}

/// Checks what a pair from the certificate server must also be: valid now, and for the
/// subject the server said.
/// How far ahead of the box's clock a new certificate's start may be: a box without a
/// battery-backed clock may run behind the server that just issued it (Let's Encrypt
/// backdates its certificates by an hour for the same reason). Devices with a right clock
/// accept it at once.
pub const NOT_BEFORE_TOLERANCE: time::Duration = time::Duration::hours(1);

pub fn check_issued(
    summary: &CertificateSummary,
    subject_cn: &str,
    now: OffsetDateTime,
) -> Result<(), IssuedPairError> {
    if now + NOT_BEFORE_TOLERANCE < summary.not_before {
        return Err(IssuedPairError::NotYetValid(rfc3339(summary.not_before)));
    }
    if now >= summary.not_after {
        return Err(IssuedPairError::Expired(rfc3339(summary.not_after)));
    }
    if !summary.names(subject_cn) {
        let found = summary
            .common_name
            .iter()
            .chain(&summary.dns_names)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        return Err(IssuedPairError::WrongSubject {
            expected: subject_cn.to_string(),
            found,
        });
    }
    Ok(())
}

fn summarize(leaf: &CertificateDer<'_>) -> Result<CertificateSummary, PairError> {
    let (_, certificate) = X509Certificate::from_der(leaf.as_ref())
        .map_err(|e| PairError::CertificateDer(e.to_string()))?;
    let common_name = certificate
        .subject()
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_string);
    let dns_names = match certificate.subject_alternative_name() {
        Ok(Some(san)) => san
            .value
            .general_names
            .iter()
            .filter_map(|name| match name {
                GeneralName::DNSName(dns) => Some(dns.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let validity = certificate.validity();
    Ok(CertificateSummary {
        common_name,
        dns_names,
        not_before: validity.not_before.to_datetime(),
        not_after: validity.not_after.to_datetime(),
        serial: certificate.raw_serial_as_string(),
        fingerprint: sha256_hex(leaf.as_ref()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{CertificateParams, KeyPair};
    use time::Duration;

    fn issue(cn: &str, days: (i64, i64)) -> (String, String) {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(vec![cn.to_string()]).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, cn);
        let now = OffsetDateTime::now_utc();
        params.not_before = now + Duration::days(days.0);
        params.not_after = now + Duration::days(days.1);
        let certificate = params.self_signed(&key).unwrap();
        (certificate.pem(), key.serialize_pem())
    }

    #[test]
    fn a_good_pair_parses_and_names_its_subject() {
        let (certificate, key) = issue("*.abc.iotbox.localhost", (-1, 59));
        let pair = parse(&certificate, &key).unwrap();
        assert_eq!(
            pair.summary.common_name.as_deref(),
            Some("*.abc.iotbox.localhost")
        );
        assert_eq!(pair.summary.fingerprint.len(), 64);
        let now = OffsetDateTime::now_utc();
        assert_eq!(
            check_issued(&pair.summary, "*.abc.iotbox.localhost", now),
            Ok(())
        );
        assert!(matches!(
            check_issued(&pair.summary, "*.other.iotbox.localhost", now),
            Err(IssuedPairError::WrongSubject { .. })
        ));
        assert!(!format!("{pair:?}").contains("PRIVATE KEY"));
    }

    #[test]
    fn refuses_a_key_of_another_certificate() {
        let (certificate, _) = issue("a.localhost", (-1, 59));
        let (_, other_key) = issue("a.localhost", (-1, 59));
        assert_eq!(
            parse(&certificate, &other_key).err(),
            Some(PairError::KeyMismatch)
        );
    }

    #[test]
    fn refuses_garbage_and_missing_parts() {
        let (certificate, key) = issue("a.localhost", (-1, 59));
        let garbage =
            "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n";
        assert!(matches!(
            parse(garbage, &key),
            Err(PairError::CertificatePem(_))
        ));
        assert_eq!(parse("", &key).err(), Some(PairError::NoCertificate));
        assert!(matches!(parse(&certificate, ""), Err(PairError::KeyPem(_))));
    }

    #[test]
    fn refuses_an_issued_pair_outside_its_validity() {
        let now = OffsetDateTime::now_utc();
        let (certificate, key) = issue("a.localhost", (-60, -1));
        let expired = parse(&certificate, &key).unwrap();
        assert!(matches!(
            check_issued(&expired.summary, "a.localhost", now),
            Err(IssuedPairError::Expired(_))
        ));
        let (certificate, key) = issue("a.localhost", (2, 60));
        let future = parse(&certificate, &key).unwrap();
        assert!(matches!(
            check_issued(&future.summary, "a.localhost", now),
            Err(IssuedPairError::NotYetValid(_))
        ));
    }

    #[test]
    fn takes_a_start_a_little_ahead_of_the_box_s_clock() {
        let (certificate, key) = issue("a.localhost", (0, 60));
        let summary = parse(&certificate, &key).unwrap().summary;
        // The box's clock behind the server's by almost the tolerance, then by more.
        let behind = summary.not_before - NOT_BEFORE_TOLERANCE + time::Duration::seconds(1);
        assert_eq!(check_issued(&summary, "a.localhost", behind), Ok(()));
        let too_far = summary.not_before - NOT_BEFORE_TOLERANCE - time::Duration::seconds(1);
        assert!(matches!(
            check_issued(&summary, "a.localhost", too_far),
            Err(IssuedPairError::NotYetValid(_))
        ));
    }
}
