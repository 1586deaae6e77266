//! The self-signed certificate the box serves from its first second, so that its HTTPS port
//! answers before any real certificate exists. Its common name marks it as temporary: a check
//! that finds it asks for a real one.

use super::pair::{self, CertificatePair};
use super::TEMPORARY_CN;
use rcgen::{CertificateParams, DnType, KeyPair};
use time::{Duration, OffsetDateTime};

pub fn generate() -> Result<CertificatePair, String> {
    let key = KeyPair::generate().map_err(|e| e.to_string())?;
    let mut params =
        CertificateParams::new(vec!["localhost".to_string()]).map_err(|e| e.to_string())?;
    params
        .distinguished_name
        .push(DnType::CommonName, TEMPORARY_CN);
    let now = OffsetDateTime::now_utc();
    // A day of margin for a clock that is not yet synchronised at boot.
    params.not_before = now - Duration::days(1);
    params.not_after = now + Duration::days(365);
    let certificate = params.self_signed(&key).map_err(|e| e.to_string())?;
    pair::parse(&certificate.pem(), &key.serialize_pem()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn is_marked_temporary_and_usable() {
        let pair = super::generate().unwrap();
        assert_eq!(
            pair.summary.common_name.as_deref(),
            Some(super::TEMPORARY_CN)
        );
    }
}
