//! Whether a host names this box. The web layer asks three questions, each with its own
//! rule, decided here side by side:
//! - [`BoxNames::answers_to`]: may a request name it so (`Host`, the URI's authority)? Any
//!   IP address (the box answers whatever address reaches it), `localhost` and
//!   `*.localhost`, its own names, and the names its certificate is made for. Anything else
//!   is a page that pointed its own name at the box (DNS rebinding).
//! - [`BoxNames::serves_pages_at`]: is an `Origin` one of the box's own pages? The same, but
//!   of IP addresses only loopback and the box's own: a page at another address is another
//!   device's.
//! - [`BoxNames::certified`]: is it the name of the real certificate served, where HSTS is
//!   safe? Never the temporary certificate, nor an address the certificate does not name.
//!
//! Every host is taken as a `Host` header gives it: any case, with a port or not, an IPv6
//! address in brackets.

use iotbox_core::certificate::pair::CertificateSummary;
use iotbox_core::iot_box::IotBox;
use std::net::IpAddr;

/// Asks `question` of the box's names as they are now: its certificate may have changed
/// since the last request, and its address with DHCP.
pub fn ask<T>(iot_box: &IotBox, question: impl FnOnce(&BoxNames) -> T) -> T {
    let served = iot_box.certificate().served().current();
    question(&BoxNames {
        own_names: iot_box.own_names(),
        own_ip: &|| iot_box.own_ip(),
        certificate: &served.summary,
    })
}

pub struct BoxNames<'a> {
    /// The box's own names (`<name>`, `<name>.local`), lowercase.
    pub own_names: &'a [String],
    /// The box's address on its network, looked up only by the rule that needs it: the
    /// `Host` guard runs on every request and must not.
    pub own_ip: &'a dyn Fn() -> Option<IpAddr>,
    /// The certificate served now.
    pub certificate: &'a CertificateSummary,
}

impl BoxNames<'_> {
    pub fn answers_to(&self, host: &str) -> bool {
        let host = host_name(host);
        host.parse::<IpAddr>().is_ok() || self.names_it(&host)
    }

    pub fn serves_pages_at(&self, host: &str) -> bool {
        let host = host_name(host);
        match host.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || (self.own_ip)() == Some(ip),
            Err(_) => self.names_it(&host),
        }
    }

    pub fn certified(&self, host: &str) -> bool {
        !self.certificate.is_temporary() && certificate_names(&host_name(host), self.certificate)
    }

    /// A name (not an address) that is the box's.
    fn names_it(&self, host: &str) -> bool {
        host == "localhost"
            || host.ends_with(".localhost")
            || self.own_names.iter().any(|name| name == host)
            || certificate_names(host, self.certificate)
    }
}

/// The name in a `Host` or an authority: lowercase, without its port or IPv6 brackets.
pub fn host_name(host: &str) -> String {
    host.rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(name, _)| name)
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase()
}

/// Whether `host` (lowercase, no port) is a name the certificate is made for.
fn certificate_names(host: &str, certificate: &CertificateSummary) -> bool {
    certificate
        .common_name
        .iter()
        .chain(&certificate.dns_names)
        .any(|name| {
            let name = name.to_ascii_lowercase();
            match name.strip_prefix("*.") {
                // A wildcard covers one label, as in TLS: `*.abc.odoo-iot.com` names
                // `192-168-1-42.abc.odoo-iot.com`, not `abc.odoo-iot.com` nor `a.b.abc...`.
                Some(domain) => host
                    .strip_suffix(domain)
                    .and_then(|label| label.strip_suffix('.'))
                    .is_some_and(|label| !label.is_empty() && !label.contains('.')),
                None => host == name,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use iotbox_core::certificate::temporary;

    fn certificate(common_name: &str) -> CertificateSummary {
        let mut summary = temporary::generate().unwrap().summary;
        summary.common_name = Some(common_name.to_string());
        summary.dns_names = vec![common_name.to_string()];
        summary
    }

    /// The three rules side by side: (host, answers to, serves pages at, certified).
    #[test]
    fn each_host_by_each_rule() {
        let own_names = ["iotbox".to_string(), "iotbox.local".to_string()];
        let real = certificate("*.abc123.odoo-iot.com");
        let names = BoxNames {
            own_names: &own_names,
            own_ip: &|| Some("192.168.1.42".parse().unwrap()),
            certificate: &real,
        };
        for (host, answers, pages, certified) in [
            ("192.168.1.42", true, true, false),
            ("192.168.1.42:8080", true, true, false),
            ("192.168.1.99", true, false, false),
            ("127.0.0.1:3000", true, true, false),
            ("[::1]:3443", true, true, false),
            ("[fd00::9]", true, false, false),
            ("localhost:3000", true, true, false),
            ("192-0-2-2.abc.iotbox.localhost:3443", true, true, false),
            ("IoTBox", true, true, false),
            ("iotbox.local:80", true, true, false),
            ("192-168-1-42.abc123.odoo-iot.com", true, true, true),
            ("192-168-1-42.ABC123.odoo-iot.com:443", true, true, true),
            // A wildcard covers one label only.
            ("abc123.odoo-iot.com", false, false, false),
            ("a.b.abc123.odoo-iot.com", false, false, false),
            ("evil.example.com", false, false, false),
            ("evil.example:80", false, false, false),
            ("iotbox.evil.example", false, false, false),
            ("192.168.1.42.evil.example", false, false, false),
            ("abc123.odoo-iot.com.evil.example", false, false, false),
            ("evilabc123.odoo-iot.com", false, false, false),
            ("", false, false, false),
        ] {
            assert_eq!(
                (
                    names.answers_to(host),
                    names.serves_pages_at(host),
                    names.certified(host)
                ),
                (answers, pages, certified),
                "{host}"
            );
        }
    }

    #[test]
    fn a_bare_wildcard_names_nothing() {
        let any = certificate("*");
        let names = BoxNames {
            own_names: &[],
            own_ip: &|| None,
            certificate: &any,
        };
        assert!(!names.answers_to("evil.example"));
    }

    #[test]
    fn the_temporary_certificate_is_never_certified() {
        let temporary = temporary::generate().unwrap().summary;
        let names = BoxNames {
            own_names: &[],
            own_ip: &|| None,
            certificate: &temporary,
        };
        let its_name = temporary.common_name.clone().unwrap();
        assert!(names.answers_to(&its_name));
        assert!(!names.certified(&its_name));
    }
}
