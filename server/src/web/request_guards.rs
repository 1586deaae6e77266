//! Requests reach the box only from its own pages, two ways:
//! - every request must name the box in `Host` (`box_names.rs`: an IP address, its name,
//!   `localhost`, its certificate's domain): a web page that points its own DNS name at the
//!   box (DNS rebinding) would otherwise read and change it as if it were the box's page;
//! - every request that changes the box must come from the box's own pages: a browser on
//!   another site cannot make a shop owner's browser post to the box (cross-site request
//!   forgery). Browsers say where a request comes from (`Sec-Fetch-Site`, `Origin`).
//!
//! Both are refused with 403. GET never changes state.

use super::box_names;
use super::refusal::Refusal;
use axum::body::Body;
use axum::http::{header, Method, Request};
use iotbox_core::iot_box::IotBox;
use iotbox_core::logs::budget::Budget;

/// Refusals are logged, but strangers cannot fill the log with them.
static REFUSALS_LOGGED: Budget = Budget::per_minute(10);

pub use crate::connections::OverHttps;

pub fn refuse_other_hosts(iot_box: &IotBox, request: &Request<Body>) -> Result<(), Refusal> {
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
    let accepted = box_names::ask(iot_box, |names| {
        names_accepted(header, authority, over_https, |host| names.answers_to(host))
    });
    if !accepted {
        if let Some(dropped_before) = REFUSALS_LOGGED.admit() {
            tracing::warn!(host = ?header, authority = ?authority, dropped_before, "refused a request for another host name");
        }
        return Err(Refusal::OtherHost);
    }
    Ok(())
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

pub fn refuse_cross_origin_changes(request: &Request<Body>) -> Result<(), Refusal> {
    if changes_state(request.method()) && !from_same_origin(request) {
        if let Some(dropped_before) = REFUSALS_LOGGED.admit() {
            tracing::warn!(
                method = %request.method(),
                path = %request.uri().path(),
                origin = ?request.headers().get(header::ORIGIN),
                dropped_before,
                "refused a request from another site"
            );
        }
        return Err(Refusal::FromAnotherSite);
    }
    Ok(())
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
