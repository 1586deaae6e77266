//! The way to the certificate server, step by step: its name (DNS), a connection to its port
//! (TCP), the secure connection (TLS, checked against the roots the box trusts), and an
//! answer (a plain `HEAD /`: never a certificate request, no credential sent). Each step
//! is bounded in time; the first that fails names the cause. The classification of what
//! failed is pure, and tested below.

use super::presented::{describe, issuer_of, Recording};
use model::diagnostics::route::{RouteStep, RouteVerdict, Step};
use rustls::pki_types::ServerName;
use rustls::{CertificateError, RootCertStore};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use url::Url;

/// The longest any one step may take.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(5);

/// Follows the way to `url` with the given trusted `roots`.
pub async fn trace(url: &Url, roots: Arc<RootCertStore>) -> (Vec<RouteStep>, RouteVerdict) {
    let mut steps = Vec::new();
    let verdict = follow(url, roots, &mut steps).await;
    (steps, verdict)
}

async fn follow(url: &Url, roots: Arc<RootCertStore>, steps: &mut Vec<RouteStep>) -> RouteVerdict {
    let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
        return RouteVerdict::NoDns;
    };
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();

    let (found, took) = timed(tokio::net::lookup_host((host.clone(), port))).await;
    let addresses: Vec<SocketAddr> = match found {
        Ok(Ok(addresses)) => addresses.collect(),
        Ok(Err(error)) => {
            return failed(
                steps,
                Step::Dns,
                error.to_string(),
                took,
                RouteVerdict::NoDns,
            )
        }
        Err(_) => return failed(steps, Step::Dns, timed_out(), took, RouteVerdict::NoDns),
    };
    let Some(address) = addresses.first().copied() else {
        return failed(
            steps,
            Step::Dns,
            "no address".into(),
            took,
            RouteVerdict::NoDns,
        );
    };
    let listed: Vec<String> = addresses.iter().map(|a| a.ip().to_string()).collect();
    passed(steps, Step::Dns, listed.join(", "), took);

    let (connected, took) = timed(TcpStream::connect(address)).await;
    let tcp = match connected {
        Ok(Ok(tcp)) => tcp,
        Ok(Err(error)) => {
            let verdict = tcp_verdict(error.kind());
            return failed(
                steps,
                Step::Tcp,
                format!("{address}: {error}"),
                took,
                verdict,
            );
        }
        Err(_) => {
            return failed(
                steps,
                Step::Tcp,
                format!("{address}: {}", timed_out()),
                took,
                RouteVerdict::Blocked,
            )
        }
    };
    passed(steps, Step::Tcp, address.to_string(), took);

    if url.scheme() == "https" {
        let verifier = Arc::new(Recording::new(roots));
        let config = crate::tls::client_config()
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone())
            .with_no_client_auth();
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        let Ok(name) = ServerName::try_from(host.clone()) else {
            return failed(
                steps,
                Step::Tls,
                format!("{host} is not a name for TLS"),
                Duration::ZERO,
                RouteVerdict::TlsFailed,
            );
        };
        let (secured, took) = timed(connector.connect(name, tcp)).await;
        let tls = match secured {
            Ok(Ok(tls)) => tls,
            Ok(Err(error)) => {
                let presented = verifier.presented();
                let (verdict, detail) = tls_verdict(&error, presented.as_deref());
                return failed(steps, Step::Tls, detail, took, verdict);
            }
            Err(_) => return failed(steps, Step::Tls, timed_out(), took, RouteVerdict::Silent),
        };
        let issuer = verifier
            .presented()
            .map(|c| describe(&c))
            .unwrap_or_default();
        passed(steps, Step::Tls, issuer, took);
        http_step(tls, &host, steps).await
    } else {
        http_step(tcp, &host, steps).await
    }
}

async fn http_step<S>(mut stream: S, host: &str, steps: &mut Vec<RouteStep>) -> RouteVerdict
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let request = format!(
        "HEAD / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: iotbox/{}\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    let exchange = async {
        stream.write_all(request.as_bytes()).await?;
        let mut received = Vec::new();
        let mut buffer = [0u8; 512];
        while !received.windows(2).any(|w| w == b"\r\n") && received.len() < 4096 {
            let read = stream.read(&mut buffer).await?;
            if read == 0 {
                break;
            }
            received.extend_from_slice(&buffer[..read]);
        }
        Ok::<_, io::Error>(received)
    };
    let (answered, took) = timed(exchange).await;
    match answered {
        Ok(Ok(received)) => {
            let line = String::from_utf8_lossy(&received);
            let line = line.lines().next().unwrap_or_default().to_string();
            match status_of(&line) {
                Some(status) if status >= 500 => failed(
                    steps,
                    Step::Http,
                    line,
                    took,
                    RouteVerdict::ServerError { status },
                ),
                Some(_) => {
                    passed(steps, Step::Http, line, took);
                    RouteVerdict::Fine
                }
                None => failed(
                    steps,
                    Step::Http,
                    "the connection closed without an answer".into(),
                    took,
                    RouteVerdict::Cut,
                ),
            }
        }
        Ok(Err(error)) => failed(
            steps,
            Step::Http,
            error.to_string(),
            took,
            RouteVerdict::Cut,
        ),
        Err(_) => failed(steps, Step::Http, timed_out(), took, RouteVerdict::Silent),
    }
}

/// `HTTP/1.1 503 Service Unavailable` gives 503.
fn status_of(line: &str) -> Option<u16> {
    let mut words = line.split_whitespace();
    words
        .next()
        .filter(|version| version.starts_with("HTTP/"))?;
    words.next()?.parse().ok()
}

/// Refused or unreachable: something stops the box on the way.
fn tcp_verdict(kind: io::ErrorKind) -> RouteVerdict {
    match kind {
        io::ErrorKind::ConnectionRefused | io::ErrorKind::TimedOut => RouteVerdict::Blocked,
        _ => RouteVerdict::Cut,
    }
}

/// What a failed handshake means, and the detail to show: who issued the certificate that
/// answered, when one did.
fn tls_verdict(error: &io::Error, presented: Option<&[u8]>) -> (RouteVerdict, String) {
    let about = presented.map(|der| format!(" (the certificate that answered: {})", describe(der)));
    let rustls_error = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    let verdict = match rustls_error {
        Some(rustls::Error::InvalidCertificate(
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. },
        )) => RouteVerdict::CertificateDates,
        Some(rustls::Error::InvalidCertificate(
            CertificateError::UnknownIssuer
            | CertificateError::NotValidForName
            | CertificateError::NotValidForNameContext { .. }
            | CertificateError::BadSignature,
        )) => RouteVerdict::Intercepted {
            issuer: presented.map(issuer_of).unwrap_or_default(),
        },
        Some(_) => RouteVerdict::TlsFailed,
        None => match error.kind() {
            io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::UnexpectedEof
            | io::ErrorKind::BrokenPipe => RouteVerdict::Cut,
            _ => RouteVerdict::TlsFailed,
        },
    };
    (verdict, format!("{error}{}", about.unwrap_or_default()))
}

async fn timed<T>(
    work: impl Future<Output = T>,
) -> (Result<T, tokio::time::error::Elapsed>, Duration) {
    let started = Instant::now();
    let result = tokio::time::timeout(STEP_TIMEOUT, work).await;
    (result, started.elapsed())
}

fn timed_out() -> String {
    format!("no answer within {} s", STEP_TIMEOUT.as_secs())
}

fn passed(steps: &mut Vec<RouteStep>, step: Step, detail: String, took: Duration) {
    steps.push(RouteStep {
        step,
        ok: true,
        detail,
        duration_ms: took.as_millis() as u64,
    });
}

fn failed(
    steps: &mut Vec<RouteStep>,
    step: Step,
    detail: String,
    took: Duration,
    verdict: RouteVerdict,
) -> RouteVerdict {
    steps.push(RouteStep {
        step,
        ok: false,
        detail,
        duration_ms: took.as_millis() as u64,
    });
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;

    #[test]
    fn reads_the_status_line() {
        assert_eq!(status_of("HTTP/1.1 503 Service Unavailable"), Some(503));
        assert_eq!(status_of("HTTP/2 200"), Some(200));
        assert_eq!(status_of("SSH-2.0-OpenSSH"), None);
        assert_eq!(status_of(""), None);
    }

    #[test]
    fn a_refused_or_silent_port_is_blocked_and_a_reset_is_cut() {
        assert_eq!(
            tcp_verdict(io::ErrorKind::ConnectionRefused),
            RouteVerdict::Blocked
        );
        assert_eq!(tcp_verdict(io::ErrorKind::TimedOut), RouteVerdict::Blocked);
        assert_eq!(
            tcp_verdict(io::ErrorKind::ConnectionReset),
            RouteVerdict::Cut
        );
    }

    #[test]
    fn a_handshake_failure_says_who_answered_and_what_it_means() {
        let certificate = crate::certificate::temporary::generate().unwrap();
        let der = CertificateDer::pem_slice_iter(certificate.certificate_pem.as_bytes())
            .next()
            .unwrap()
            .unwrap();
        let rustls_failure = |error: CertificateError| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                rustls::Error::InvalidCertificate(error),
            )
        };
        let (verdict, detail) =
            tls_verdict(&rustls_failure(CertificateError::UnknownIssuer), Some(&der));
        assert_eq!(
            verdict,
            RouteVerdict::Intercepted {
                issuer: crate::certificate::TEMPORARY_CN.into()
            }
        );
        assert!(
            detail.contains("issued by OdooTempIoTBoxCertificate"),
            "{detail}"
        );
        let (verdict, _) = tls_verdict(&rustls_failure(CertificateError::Expired), Some(&der));
        assert_eq!(verdict, RouteVerdict::CertificateDates);
        let (verdict, _) = tls_verdict(&io::ErrorKind::UnexpectedEof.into(), None);
        assert_eq!(verdict, RouteVerdict::Cut);
    }
}
