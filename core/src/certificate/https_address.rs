//! The box's HTTPS address, formed as the vendor documents it: the box IP with its dots turned
//! into dashes, then the certificate subject without its leading `*`. The vendor's DNS answers
//! such names with the IP they spell, so the address reaches the box on its own network.

use std::net::IpAddr;

/// `192.168.1.42` and `*.abc123.odoo-iot.com` give `https://192-168-1-42.abc123.odoo-iot.com`;
/// a port other than 443 is added. Only IPv4 addresses are spelled this way.
pub fn https_address(ip: Option<IpAddr>, subject: &str, port: u16) -> Option<String> {
    let port = if port == 443 {
        String::new()
    } else {
        format!(":{port}")
    };
    match subject.strip_prefix('*') {
        Some(domain) => match ip? {
            IpAddr::V4(v4) => Some(format!(
                "https://{}{domain}{port}",
                v4.to_string().replace('.', "-")
            )),
            IpAddr::V6(_) => None,
        },
        None => Some(format!("https://{subject}{port}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_the_ip_into_the_subject() {
        let ip = Some("192.168.1.42".parse().unwrap());
        assert_eq!(
            https_address(ip, "*.abc123.odoo-iot.com", 443).as_deref(),
            Some("https://192-168-1-42.abc123.odoo-iot.com")
        );
        assert_eq!(
            https_address(ip, "*.abc123.iotbox.localhost", 3443).as_deref(),
            Some("https://192-168-1-42.abc123.iotbox.localhost:3443")
        );
        assert_eq!(https_address(None, "*.abc123.odoo-iot.com", 443), None);
        assert_eq!(
            https_address(None, "box.example.com", 443).as_deref(),
            Some("https://box.example.com")
        );
    }
}
