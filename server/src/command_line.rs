//! The command line of the `iotbox` binary. Every setting is a flag with an environment
//! variable and a default, and every value is checked before the box starts: a bad one stops
//! start-up with one line and exit code 2.

use clap::error::ErrorKind;
use clap::Parser;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use url::Url;

/// The vendor's certificate server.
pub const VENDOR_CERT_SERVER: &str = "https://www.odoo.com/odoo-enterprise/iot/x509";

/// The exit code for a configuration the box cannot start with.
pub const BAD_CONFIGURATION: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "iotbox",
    version,
    about = "The IoT box homepage and its HTTPS certificate"
)]
pub struct Config {
    /// Folder that holds every file the box writes (settings, certificates, logs).
    /// Created, private to the box's user, if missing.
    #[arg(long, env = "IOTBOX_DATA_DIR", default_value = "/var/lib/iotbox")]
    pub data_dir: PathBuf,

    /// Address the homepage is served on over plain HTTP, so it is reachable by IP address.
    /// A box on a shop's network uses 0.0.0.0:80.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub http_addr: SocketAddr,

    /// Address the HTTPS listener binds to. A box on a shop's network uses 0.0.0.0:443.
    #[arg(long, env = "IOTBOX_HTTPS_ADDR", default_value = "127.0.0.1:3443")]
    pub https_addr: SocketAddr,

    /// Folder of the built site (the page's WASM, JS and CSS). Default: `site` beside the
    /// binary, or `../site` as in cargo's `target/<profile>/` layout, else `target/site`.
    #[arg(long, env = "LEPTOS_SITE_ROOT")]
    pub site_root: Option<PathBuf>,

    /// Token a Prometheus scrapes `GET /metrics` with (`Authorization: Bearer <token>`) while
    /// an admin password is set. Without it, only a logged-in session may scrape then.
    #[arg(long, env = "IOTBOX_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// URL the box asks for its HTTPS certificate.
    #[arg(long, env = "IOTBOX_CERT_SERVER", default_value = VENDOR_CERT_SERVER,
          value_parser = parse_cert_server)]
    pub cert_server: Url,

    /// PEM file of extra root certificates to trust for the certificate server, on top of
    /// the system's roots.
    #[arg(long, env = "IOTBOX_CERT_SERVER_CA")]
    pub cert_server_ca: Option<PathBuf>,

    /// Longest wait for the certificate server's whole answer (connecting gets at most 10 s
    /// of it). As long as the reference's: the vendor obtains the certificate from its own
    /// authority while the box waits.
    #[arg(long, env = "IOTBOX_CERT_SERVER_TIMEOUT", default_value = "95s",
          value_parser = parse_timeout)]
    pub cert_server_timeout: Duration,

    /// The DNS resolver the address check asks as the network's (an IP, or IP:port).
    /// Default: the first `nameserver` of /etc/resolv.conf, read at each check.
    #[arg(long, env = "IOTBOX_DNS_RESOLVER", value_parser = parse_resolver)]
    pub dns_resolver: Option<SocketAddr>,

    /// The public DNS resolver the address check compares with (an IP, or IP:port).
    #[arg(long, env = "IOTBOX_PUBLIC_DNS", default_value = "8.8.8.8", value_parser = parse_resolver)]
    pub public_dns: SocketAddr,

    /// How often the box looks for changes to push to each open homepage (e.g. 2s, 10s, 1m;
    /// 1s to 1h). Nothing goes over the network when nothing changed.
    #[arg(long, env = "IOTBOX_POLL_INTERVAL", default_value = "2s",
          value_parser = parse_poll_interval)]
    pub poll_interval: Duration,

    /// File the box reads its serial number from, to name itself to the Odoo server as
    /// Odoo's box does. Without one (any hardware but a Raspberry Pi), the box sends its MAC
    /// address, else its host name.
    #[arg(long, env = "IOTBOX_SERIAL_NUMBER_FILE", default_value = iotbox_core::box_identifier::PI_SERIAL_NUMBER)]
    pub serial_number_file: PathBuf,
}

/// Root certificates read from `--cert-server-ca`.
#[derive(Clone, Debug)]
pub struct ExtraRoots {
    pub path: PathBuf,
    pub certificates: Vec<CertificateDer<'static>>,
}

impl Config {
    /// Parses the command line; `--help` and `--version` print and exit 0, anything the box
    /// cannot start with prints one line and exits 2.
    pub fn parse_or_exit() -> Self {
        Self::try_parse().unwrap_or_else(|error| match error.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => error.exit(),
            _ => exit_bad_configuration(&first_line(&error.to_string())),
        })
    }

    /// The roots of `--cert-server-ca`, read and checked; the error is one line.
    pub fn extra_roots(&self) -> Result<Option<ExtraRoots>, String> {
        self.cert_server_ca
            .as_deref()
            .map(|path| {
                read_ca_file(path).map_err(|reason| {
                    format!(
                        "invalid value '{}' for '--cert-server-ca': {reason}",
                        path.display()
                    )
                })
            })
            .transpose()
    }

    pub fn site_root(&self) -> PathBuf {
        match &self.site_root {
            Some(root) => root.clone(),
            None => default_site_root(std::env::current_exe().ok().as_deref()),
        }
    }
}

pub fn exit_bad_configuration(message: &str) -> ! {
    eprintln!("iotbox: {message}");
    std::process::exit(i32::from(BAD_CONFIGURATION))
}

fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message);
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

fn default_site_root(executable: Option<&Path>) -> PathBuf {
    let beside = executable.and_then(Path::parent);
    [
        beside.map(|dir| dir.join("site")),
        beside.and_then(Path::parent).map(|dir| dir.join("site")),
    ]
    .into_iter()
    .flatten()
    .find(|candidate| candidate.is_dir())
    .unwrap_or_else(|| PathBuf::from("target/site"))
}

fn parse_cert_server(value: &str) -> Result<Url, String> {
    let url = Url::parse(value).map_err(|e| format!("not a URL: {e}"))?;
    match (url.scheme(), url.host()) {
        ("http" | "https", Some(_)) => Ok(url),
        (_, Some(_)) => Err("must be an http or https URL".to_string()),
        _ => Err("has no host".to_string()),
    }
}

fn read_ca_file(path: &Path) -> Result<ExtraRoots, String> {
    let path = path.to_owned();
    let pem = std::fs::read(&path).map_err(|e| format!("cannot read it: {e}"))?;
    let certificates = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("not a PEM certificate file: {e}"))?;
    if certificates.is_empty() {
        return Err("holds no PEM certificate".to_string());
    }
    Ok(ExtraRoots { path, certificates })
}

/// `8.8.8.8` is `8.8.8.8:53`; `127.0.0.1:5353` and `[::1]:53` are as written.
fn parse_resolver(value: &str) -> Result<SocketAddr, String> {
    value
        .parse::<SocketAddr>()
        .or_else(|_| {
            value
                .parse::<std::net::IpAddr>()
                .map(|ip| SocketAddr::new(ip, 53))
        })
        .map_err(|_| "must be an IP address, or IP:port".to_string())
}

fn parse_timeout(value: &str) -> Result<Duration, String> {
    duration_between(value, Duration::from_millis(100), Duration::from_secs(600))
}

fn parse_poll_interval(value: &str) -> Result<Duration, String> {
    duration_between(value, Duration::from_secs(1), Duration::from_secs(3600))
}

/// A duration written as people write them (`2s`, `1m`), within bounds.
fn duration_between(value: &str, min: Duration, max: Duration) -> Result<Duration, String> {
    let duration = humantime::parse_duration(value).map_err(|e| e.to_string())?;
    if (min..=max).contains(&duration) {
        Ok(duration)
    } else {
        Err(format!(
            "must be between {} and {}",
            humantime::format_duration(min),
            humantime::format_duration(max)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        Config::try_parse_from(std::iter::once("iotbox").chain(args.iter().copied()))
            .map_err(|e| first_line(&e.to_string()))
    }

    #[test]
    fn defaults_are_documented_values() {
        let config = parse(&[]).unwrap();
        assert_eq!(config.cert_server.as_str(), VENDOR_CERT_SERVER);
        assert_eq!(config.poll_interval, Duration::from_secs(2));
        assert!(config.extra_roots().unwrap().is_none());
        assert_eq!(config.public_dns, "8.8.8.8:53".parse().unwrap());
        assert_eq!(config.dns_resolver, None);
    }

    #[test]
    fn a_resolver_is_an_address_with_port_53_unless_told() {
        let config = parse(&["--dns-resolver", "127.0.0.1:5353", "--public-dns", "::1"]).unwrap();
        assert_eq!(config.dns_resolver, Some("127.0.0.1:5353".parse().unwrap()));
        assert_eq!(config.public_dns, "[::1]:53".parse().unwrap());
        let error = parse(&["--public-dns", "dns.google"]).unwrap_err();
        assert!(error.contains("IP address"), "{error}");
    }

    #[test]
    fn bad_values_are_one_clear_line() {
        let error = parse(&["--http-addr", "localhost"]).unwrap_err();
        assert!(error.contains("--http-addr"), "{error}");
        let error = parse(&["--cert-server-ca", "/nonexistent/ca.pem"])
            .unwrap()
            .extra_roots()
            .unwrap_err();
        assert!(error.contains("cannot read it"), "{error}");
        let error = parse(&["--cert-server", "ftp://example.com/x509"]).unwrap_err();
        assert!(error.contains("http or https"), "{error}");
        let error = parse(&["--poll-interval", "0s"]).unwrap_err();
        assert!(error.contains("between 1s and 1h"), "{error}");
        assert!(!error.contains('\n'));
    }

    #[test]
    fn a_ca_file_must_hold_a_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not pem at all\n").unwrap();
        let error = parse(&["--cert-server-ca", empty.to_str().unwrap()])
            .unwrap()
            .extra_roots()
            .unwrap_err();
        assert!(error.contains("holds no PEM certificate"), "{error}");
    }

    #[test]
    fn the_site_is_found_beside_the_binary_in_cargo_layout() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("release").join("iotbox");
        std::fs::create_dir_all(dir.path().join("site")).unwrap();
        assert_eq!(default_site_root(Some(&binary)), dir.path().join("site"));
        assert_eq!(default_site_root(None), PathBuf::from("target/site"));
    }
}
