//! Requests reach the box only from its own pages, two ways:
//! - every request must name the box in `Host` (an IP address, its name, `localhost`, its
//!   certificate's domain): a web page that points its own DNS name at the box (DNS
//!   rebinding) would otherwise read and change it as if it were the box's page;
//! - every request that changes the box must come from the box's own pages: a browser on
//!   another site cannot make a shop owner's browser post to the box (cross-site request
//!   forgery). Browsers say where a request comes from (`Sec-Fetch-Site`, `Origin`).
//!
//! Both are refused with 403. GET never changes state.

use app::iot_box::IotBox;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub async fn refuse_other_hosts(
    State(iot_box): State<Arc<IotBox>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|host| host.to_str().ok());
    if host.is_some_and(|host| !iot_box.is_own_host(host)) {
        tracing::warn!(host = ?host, "refused a request for another host name");
        return (
            StatusCode::FORBIDDEN,
            "Refused: this address does not name the IoT box.",
        )
            .into_response();
    }
    next.run(request).await
}

pub async fn refuse_cross_origin_changes(request: Request<Body>, next: Next) -> Response {
    if changes_state(request.method()) && !from_same_origin(&request) {
        tracing::warn!(
            method = %request.method(),
            path = %request.uri().path(),
            origin = ?request.headers().get(header::ORIGIN),
            "refused a request from another site"
        );
        return (
            StatusCode::FORBIDDEN,
            "Refused: changes to the IoT box can only be made from its own homepage.",
        )
            .into_response();
    }
    next.run(request).await
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
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
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
    }
}
