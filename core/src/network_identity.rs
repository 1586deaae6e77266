//! The box's address on the local network, as other devices see it: the IP address of the
//! interface that carries the default route, and that interface's MAC address.

use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetworkIdentity {
    pub ip: Option<IpAddr>,
    pub mac: Option<String>,
}

impl NetworkIdentity {
    pub fn read() -> Self {
        let interfaces = local_ip_address::list_afinet_netifas().unwrap_or_default();
        // The default route's address first; without one (an isolated network), any usable
        // address is still how devices on the same link reach the box.
        let ip = local_ip_address::local_ip()
            .ok()
            .or_else(|| first_usable(&interfaces));
        let mac = ip
            .and_then(|ip| interfaces.iter().find(|(_, addr)| *addr == ip))
            .and_then(|(name, _)| mac_address::mac_address_by_name(name).ok().flatten())
            .map(|mac| mac.to_string().to_lowercase());
        Self { ip, mac }
    }
}

fn first_usable(interfaces: &[(String, IpAddr)]) -> Option<IpAddr> {
    let usable = |ip: &IpAddr| match ip {
        IpAddr::V4(v4) => !v4.is_loopback() && !v4.is_link_local() && !v4.is_unspecified(),
        IpAddr::V6(v6) => !v6.is_loopback() && !v6.is_unspecified() && !v6.is_unicast_link_local(),
    };
    let addresses = || interfaces.iter().map(|(_, ip)| *ip).filter(usable);
    addresses()
        .find(IpAddr::is_ipv4)
        .or_else(|| addresses().next())
}

/// The homepage by IP address over plain HTTP, the way in while the HTTPS name does not
/// resolve: the address the HTTP listener is bound to, or the network's address when it
/// listens on all of them; no port when it is 80.
pub fn homepage_by_ip(listener: SocketAddr, network_ip: Option<IpAddr>) -> Option<String> {
    let ip = if listener.ip().is_unspecified() {
        network_ip?
    } else {
        listener.ip()
    };
    let host = match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    };
    Some(match listener.port() {
        80 => format!("http://{host}"),
        port => format!("http://{host}:{port}"),
    })
}

/// Reads the identity again at most once per `max_age`, so frequent status polls cost a lock
/// rather than netlink round trips; a DHCP change still shows within seconds.
pub struct NetworkIdentityCache {
    max_age: Duration,
    cached: Mutex<Option<(Instant, NetworkIdentity)>>,
}

impl NetworkIdentityCache {
    pub fn new(max_age: Duration) -> Self {
        Self {
            max_age,
            cached: Mutex::new(None),
        }
    }

    pub fn get(&self) -> NetworkIdentity {
        let mut cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        match &*cached {
            Some((read_at, identity)) if read_at.elapsed() < self.max_age => identity.clone(),
            _ => {
                let identity = NetworkIdentity::read();
                *cached = Some((Instant::now(), identity.clone()));
                identity
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_homepage_by_ip_is_where_the_listener_is_reached() {
        let network = Some("192.168.1.42".parse().unwrap());
        let at = |listener: &str, network| homepage_by_ip(listener.parse().unwrap(), network);
        assert_eq!(
            at("0.0.0.0:80", network).as_deref(),
            Some("http://192.168.1.42")
        );
        assert_eq!(
            at("[::]:8080", network).as_deref(),
            Some("http://192.168.1.42:8080")
        );
        assert_eq!(
            at("127.0.0.1:3000", network).as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(
            at("[fd00::2]:80", None).as_deref(),
            Some("http://[fd00::2]")
        );
        assert_eq!(at("0.0.0.0:80", None), None);
    }

    #[test]
    fn prefers_a_routable_ipv4_address() {
        let interfaces = vec![
            ("lo".to_string(), "127.0.0.1".parse().unwrap()),
            ("eth0".to_string(), "fe80::1".parse().unwrap()),
            ("eth0".to_string(), "fd00::2".parse().unwrap()),
            ("eth0".to_string(), "192.168.1.42".parse().unwrap()),
        ];
        assert_eq!(
            first_usable(&interfaces),
            Some("192.168.1.42".parse().unwrap())
        );
        assert_eq!(
            first_usable(&interfaces[..3]),
            Some("fd00::2".parse().unwrap())
        );
        assert_eq!(first_usable(&interfaces[..2]), None);
    }

    #[test]
    fn the_identity_of_this_machine_has_a_mac_when_it_has_an_address() {
        let identity = NetworkIdentity::read();
        if let Some(ip) = identity.ip {
            assert!(!ip.is_loopback());
            let mac = identity
                .mac
                .expect("an interface with an address has a MAC");
            assert_eq!(mac.len(), 17, "{mac}");
        }
    }
}
