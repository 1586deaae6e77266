//! Requests reach the box only from its own pages, two ways:
//! - every request must name the box in `Host` (an IP address, its name, `localhost`, its
//!   certificate's domain): a web page that points its own DNS name at the box (DNS
//!   rebinding) would otherwise read and change it as if it were the box's page;
//! - every request that changes the box must come from the box's own pages: a browser on
//!   another site cannot make a shop owner's browser post to the box (cross-site request
//!   forgery). Browsers say where a request comes from (`Sec-Fetch-Site`, `Origin`).
//!
//! Both are refused with 403. GET never changes state.

use crate::certificate::pair::CertificateSummary;
use crate::iot_box::IotBox;
use crate::logs::budget::Budget;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Refusals are logged, but strangers cannot fill the log with them.
static REFUSALS_LOGGED: Budget = Budget::per_minute(10);

pub use crate::connections::OverHttps;

pub async fn refuse_other_hosts(
    State(iot_box): State<Arc<IotBox>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    // HTTP/2 names the host in the URI's authority, HTTP/1.1 in `Host` (and in the URI too
    // when it is absolute): every name given must be the box's.
    let header = request
        .headers()
        .get(header::HOST)
        // A `Host` that is not text names nothing the box answers to.
        .map(|host| host.to_str().unwrap_or("\u{fffd}"));
    let authority = request
        .uri()
        .authority()
        .map(|authority| authority.as_str());
    let over_https = request.extensions().get::<OverHttps>().is_some();
    let served = iot_box.certificate().served().current();
    let names = |host: &str| names_the_box(host, iot_box.own_names(), &served.summary);
    if !names_accepted(header, authority, over_https, names) {
        if let Some(dropped_before) = REFUSALS_LOGGED.admit() {
            tracing::warn!(host = ?header, authority = ?authority, dropped_before, "refused a request for another host name");
        }
        return (
            StatusCode::FORBIDDEN,
            "Refused: this address does not name the IoT box.",
        )
            .into_response();
    }
    next.run(request).await
}

/// Whether a request's names are the box's: each one it gives, and at least one over HTTPS
/// (a plain-HTTP request without any, from an old HTTP/1.0 client, only reaches the box by
/// its address).
fn names_accepted(
    header: Option<&str>,
    authority: Option<&str>,
    over_https: bool,
    names_the_box: impl Fn(&str) -> bool,
) -> bool {
    match (header, authority) {
        (None, None) => !over_https,
        (header, authority) => header.into_iter().chain(authority).all(names_the_box),
    }
}

pub async fn refuse_cross_origin_changes(request: Request<Body>, next: Next) -> Response {
    if changes_state(request.method()) && !from_same_origin(&request) {
        if let Some(dropped_before) = REFUSALS_LOGGED.admit() {
            tracing::warn!(
                method = %request.method(),
                path = %request.uri().path(),
                origin = ?request.headers().get(header::ORIGIN),
                dropped_before,
                "refused a request from another site"
            );
        }
        return (
            StatusCode::FORBIDDEN,
            "Refused: changes to the IoT box can only be made from its own homepage.",
        )
            .into_response();
    }
    next.run(request).await
}

/// Whether `host` (a `Host` header, port allowed) names this box: an IP address, one of its
/// `own_names`, `localhost`, or a name its certificate is made for (`*.` covering a domain).
fn names_the_box(host: &str, own_names: &[String], certificate: &CertificateSummary) -> bool {
    let host = host_name(host);
    if host.parse::<std::net::IpAddr>().is_ok()
        || host == "localhost"
        || host.ends_with(".localhost")
        || own_names.contains(&host)
    {
        return true;
    }
    certificate_names(&host, certificate)
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

/// Whether `host` (as [`host_name`] gives it) is a name the certificate is made for.
pub fn certificate_names(host: &str, certificate: &CertificateSummary) -> bool {
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

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Same origin when the browser says so, or when the `Origin` names the host asked; a
/// request that carries neither header does not come from a browser page (curl, scripts).
fn from_same_origin<B>(request: &Request<B>) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    match headers.get(header::ORIGIN) {
        None => true,
        Some(origin) => {
            // HTTP/2 names the host in the URI's authority rather than in `Host`.
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .or_else(|| request.uri().authority().map(|a| a.as_str()));
            let origin_host = origin
                .to_str()
                .ok()
                .and_then(|o| o.split_once("://"))
                .map(|(_, host)| host);
            host.is_some() && origin_host == host
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_a_request_gives_must_be_the_box_s() {
        let the_box = |host: &str| host == "192.168.1.42";
        for (header, authority, over_https, accepted) in [
            (Some("192.168.1.42"), None, false, true),
            (Some("192.168.1.42"), None, true, true),
            (None, Some("192.168.1.42"), true, true),
            (Some("192.168.1.42"), Some("192.168.1.42"), true, true),
            (Some("evil.example"), None, false, false),
            (None, Some("evil.example"), true, false),
            (Some("192.168.1.42"), Some("evil.example"), true, false),
            (Some("evil.example"), Some("192.168.1.42"), false, false),
            (None, None, false, true),
            (None, None, true, false),
        ] {
            assert_eq!(
                names_accepted(header, authority, over_https, the_box),
                accepted,
                "{header:?} {authority:?} over HTTPS: {over_https}"
            );
        }
    }

    #[test]
    fn knows_the_box_names_and_no_other() {
        let mut certificate = crate::certificate::temporary::generate().unwrap().summary;
        certificate.common_name = Some("*.abc123.odoo-iot.com".into());
        let own = ["shop-box".to_string(), "shop-box.local".to_string()];
        for host in [
            "192.168.1.42",
            "192.168.1.42:80",
            "[::1]:3000",
            "localhost:3000",
            "192-0-2-2.abc.iotbox.localhost:3443",
            "Shop-Box.local",
            "192-168-1-42.abc123.odoo-iot.com",
        ] {
            assert!(names_the_box(host, &own, &certificate), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:80",
            "192.168.1.42.evil.example",
            "abc123.odoo-iot.com.evil.example",
            "abc123.odoo-iot.com",
            "a.b.abc123.odoo-iot.com",
            "evilabc123.odoo-iot.com",
        ] {
            assert!(!names_the_box(host, &own, &certificate), "{host}");
        }
        certificate.common_name = Some("*".into());
        assert!(!names_the_box("evil.example", &own, &certificate));
    }

    fn request(headers: &[(&str, &str)]) -> Request<()> {
        let mut builder = Request::post("/api/credential/save").header("host", "192.168.1.42");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn tells_the_box_own_pages_from_other_sites() {
        assert!(from_same_origin(&request(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(from_same_origin(&request(&[(
            "origin",
            "http://192.168.1.42"
        )])));
        assert!(from_same_origin(&request(&[])));
        assert!(!from_same_origin(&request(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(!from_same_origin(&request(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        assert!(!from_same_origin(&request(&[(
            "origin",
            "https://evil.example"
        )])));
        assert!(!from_same_origin(&request(&[("origin", "null")])));
        // HTTP/2: no `Host`, the host in the URI's authority.
        let over_http2 = Request::post("https://192.168.1.42/api/credential/save")
            .header("origin", "https://192.168.1.42")
            .body(())
            .unwrap();
        assert!(from_same_origin(&over_http2));
    }
}
