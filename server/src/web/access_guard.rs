//! Who may change the box. What a request says of its sender (its session cookie, its
//! address, the listener) goes into it for the page (`RequestAccess`). While an admin
//! password is set, every request that changes the box, the logs (download and live view)
//! and the support report need an
//! open session: refused with 401 otherwise. The status and the page stay readable by anyone.

use super::refusal::Refusal;
use app::api::access::session_cookie;
use app::api::access::LogIn;
use app::api::advanced_details::ShowAdvancedDetails;
use app::api::cookies::value_in;
use app::api::diagnostics::{GetDiagnostics, RunDiagnostics};
use app::api::language::ChooseLanguage;
use app::api::status::GetStatus;
use app::api::RequestAccess;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request};
use iotbox_core::blocking::off_the_runtime;
use iotbox_core::iot_box::IotBox;
use iotbox_core::logs::budget::Budget;
use leptos::server_fn::ServerFn;
use std::net::SocketAddr;
use std::sync::Arc;

/// What anyone may ask of the API, password or not: reading the box's state (so a shop owner
/// always sees what is wrong), logging in, the browser's policy reports, the preferences of
/// this browser (the cogs button's display, the page's language), and the diagnostics (they
/// change nothing, and are bounded in frequency). Everything else under `/api/` needs the
/// login while a password is set: a new route stays private until it is listed here. The
/// server functions are named by their own paths.
static OPEN_TO_ALL: [(Method, &str); 9] = [
    (Method::GET, <GetStatus as ServerFn>::PATH),
    (Method::GET, super::status_stream::PATH),
    (Method::GET, <GetDiagnostics as ServerFn>::PATH),
    (Method::GET, super::https_check::PATH),
    (Method::POST, <LogIn as ServerFn>::PATH),
    (Method::POST, app::content_security_policy::REPORT_PATH),
    (Method::POST, <ShowAdvancedDetails as ServerFn>::PATH),
    (Method::POST, <ChooseLanguage as ServerFn>::PATH),
    (Method::POST, <RunDiagnostics as ServerFn>::PATH),
];

/// Refusals are logged, but strangers cannot fill the log with them.
static REFUSALS_LOGGED: Budget = Budget::per_minute(10);

/// The request with what it says of its sender, or the refusal.
pub async fn check(
    iot_box: &Arc<IotBox>,
    mut request: Request<Body>,
) -> Result<Request<Body>, Refusal> {
    let over_https = request
        .extensions()
        .get::<crate::connections::OverHttps>()
        .is_some();
    let access = RequestAccess {
        session: session_token(&request, over_https),
        over_https,
        client: request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip()),
    };
    if needs_login(request.method(), request.uri().path()) {
        // Reads the settings file: off the async runtime.
        let (iot_box, session) = (iot_box.clone(), access.session.clone());
        // A failure refuses, as a wrong login does.
        let allowed = off_the_runtime(move || iot_box.access().allows_changes(session.as_deref()))
            .await
            .unwrap_or(false);
        if !allowed {
            if let Some(dropped_before) = REFUSALS_LOGGED.admit() {
                tracing::warn!(path = %request.uri().path(), client = ?access.client, dropped_before, "refused without a login");
            }
            return Err(Refusal::LoginNeeded);
        }
    }
    request.extensions_mut().insert(access);
    Ok(request)
}

/// Every change, and every API route not open to all (the logs, the support report, the
/// settings backup: they may hold what happened on the shop's network). The page and its
/// files are read by anyone; `/metrics` checks its own token.
fn needs_login(method: &Method, path: &str) -> bool {
    let method = if method == Method::HEAD {
        &Method::GET
    } else {
        method
    };
    if method == Method::GET && !path.starts_with("/api/") {
        return false;
    }
    !OPEN_TO_ALL
        .iter()
        .any(|(open, open_path)| open == method && *open_path == path)
}

/// The token of the session cookie of this listener.
fn session_token(request: &Request<Body>, over_https: bool) -> Option<String> {
    let name = session_cookie(over_https);
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookies| value_in(cookies, name).filter(|value| !value.is_empty()))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_and_logs_need_a_login_and_reading_does_not() {
        for (method, path) in [
            (Method::POST, "/api/credential/save"),
            (Method::POST, "/api/access/password/remove"),
            (Method::POST, "/api/access/log-out"),
            (Method::GET, "/api/logs"),
            (Method::GET, "/api/logs/tail"),
            (Method::GET, "/api/support-report"),
            (Method::POST, "/api/settings/backup"),
            (Method::PUT, "/anything"),
            // A new route is private until it is listed as open.
            (Method::GET, "/api/some-new-read"),
            // Open paths, by the other method.
            (Method::POST, "/api/status"),
            (Method::GET, "/api/access/log-in"),
        ] {
            assert!(needs_login(&method, path), "{method} {path}");
        }
        for (method, path) in [
            (Method::GET, "/"),
            (Method::GET, "/api/status"),
            (Method::HEAD, "/api/status"),
            (Method::GET, "/api/status/events"),
            (Method::GET, "/api/diagnostics"),
            (Method::GET, "/api/https-check"),
            (Method::POST, "/api/diagnostics/run"),
            (Method::GET, "/metrics"),
            (Method::GET, "/pkg/iotbox.wasm"),
            (Method::POST, "/api/access/log-in"),
            (Method::POST, "/api/csp-report"),
            (Method::POST, "/api/advanced-details"),
            (Method::POST, "/api/language"),
        ] {
            assert!(!needs_login(&method, path), "{method} {path}");
        }
    }

    #[test]
    fn finds_the_session_among_other_cookies() {
        let request = Request::get("/")
            .header(header::COOKIE, "iotbox_advanced=1; iotbox_session=abc123")
            .body(Body::empty())
            .unwrap();
        assert_eq!(session_token(&request, false).as_deref(), Some("abc123"));
        assert_eq!(
            session_token(&request, true),
            None,
            "over HTTPS: __Host- only"
        );
        let none = Request::get("/")
            .header(header::COOKIE, "iotbox_session=")
            .body(Body::empty())
            .unwrap();
        assert_eq!(session_token(&none, false), None);
    }
}
