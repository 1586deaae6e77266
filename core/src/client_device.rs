//! One device on the network, as far as its address tells: what the box counts per device
//! (connections held, wrong passwords) is counted under this key.

use std::net::IpAddr;

/// An IPv6 network hands a device a whole /64, so the /64 is the device; an IPv4 address
/// seen through an IPv6 socket is that IPv4 address.
pub fn device(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_v6_network_is_one_device_and_a_mapped_v4_is_its_v4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(device(a), device(b));
        assert_ne!(device(a), device(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(device(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(device(v4), v4);
    }
}
