//! How the box names itself to the Odoo server, as Odoo's own box does: the Raspberry Pi's
//! serial number from the device tree, else the MAC address (what boxes up to Odoo 18 sent),
//! else the host name. The ERP matches boxes by it, so the status and the support report say
//! which one was sent.

use model::erp_update::{BoxIdentifier, IdentifierSource};
use std::path::Path;

/// Where a Raspberry Pi's firmware publishes its serial number.
pub const PI_SERIAL_NUMBER: &str = "/sys/firmware/devicetree/base/serial-number";

/// The longest serial number taken: the Pi's is 16 hexadecimal digits; anything much longer
/// is not a serial number.
const MAX_SERIAL_CHARS: usize = 64;

/// The serial number in `file`, NUL bytes and blanks stripped (the device tree ends its
/// strings with a NUL); `None` where there is none (any hardware but a Pi) or it is unusable.
pub fn read_serial_number(file: &Path) -> Option<String> {
    let raw = std::fs::read(file).ok()?;
    serial_number(&raw)
}

fn serial_number(raw: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(raw).ok()?;
    let serial = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    let usable = !serial.is_empty()
        && serial.len() <= MAX_SERIAL_CHARS
        && serial.chars().all(|c| c.is_ascii_alphanumeric());
    usable.then(|| serial.to_string())
}

/// The first of the serial number, the MAC address and the host name that the box has.
pub fn choose(serial: Option<&str>, mac: Option<&str>, host_name: &str) -> BoxIdentifier {
    let (value, source) = match (serial, mac) {
        (Some(serial), _) => (serial, IdentifierSource::SerialNumber),
        (None, Some(mac)) => (mac, IdentifierSource::MacAddress),
        (None, None) => (host_name, IdentifierSource::HostName),
    };
    BoxIdentifier {
        value: value.to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_device_tree_nul() {
        assert_eq!(
            serial_number(b"10000000a1b2c3d4\0").as_deref(),
            Some("10000000a1b2c3d4")
        );
        assert_eq!(
            serial_number(b"\0 00000000abcdef01\n\0\0").as_deref(),
            Some("00000000abcdef01")
        );
    }

    #[test]
    fn refuses_what_is_no_serial_number() {
        for raw in [&b""[..], b"\0\0", b"not a serial", b"\xff\xfe", &[b'a'; 65]] {
            assert_eq!(serial_number(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn serial_then_mac_then_host_name() {
        let pick = |serial, mac| {
            let chosen = choose(serial, mac, "iotbox");
            (chosen.value, chosen.source)
        };
        assert_eq!(
            pick(Some("10000000a1b2c3d4"), Some("b8:27:eb:00:00:01")),
            ("10000000a1b2c3d4".into(), IdentifierSource::SerialNumber)
        );
        assert_eq!(
            pick(None, Some("b8:27:eb:00:00:01")),
            ("b8:27:eb:00:00:01".into(), IdentifierSource::MacAddress)
        );
        assert_eq!(
            pick(None, None),
            ("iotbox".into(), IdentifierSource::HostName)
        );
    }

    #[test]
    fn a_missing_file_is_no_serial_number() {
        assert_eq!(
            read_serial_number(Path::new("/nonexistent/serial-number")),
            None
        );
    }
}
