//! Logging in and out, and setting the optional admin password. A session lives in an
//! `HttpOnly`, `SameSite=Strict` cookie that the page's scripts never see; over HTTPS it is
//! `Secure` and named `__Host-...`, so that no other host of the domain can shadow it.

use crate::api::form_error::FormError;
#[cfg(feature = "ssr")]
use crate::model::access::PasswordProblem;
#[cfg(feature = "ssr")]
use crate::model::change_error::ChangeError;
use leptos::prelude::*;

/// The session cookie's name: with the `__Host-` prefix over HTTPS (which requires `Secure`).
pub fn session_cookie(over_https: bool) -> &'static str {
    if over_https {
        "__Host-iotbox_session"
    } else {
        "iotbox_session"
    }
}

#[server(prefix = "/api", endpoint = "access/log-in")]
pub async fn log_in(password: String) -> Result<(), FormError> {
    let request = super::request_access();
    let token = super::the_box()
        .log_in(password, request.client)
        .await
        .map_err(|error| {
            let slowed = match &error {
                ChangeError::Password(PasswordProblem::SlowDown { seconds }) => Some(*seconds),
                _ => None,
            };
            let refusal = super::refusal(error);
            if let Some(seconds) = slowed {
                slow_down(seconds);
            }
            refusal
        })?;
    set_session_cookie(&token, request.over_https);
    Ok(())
}

#[server(prefix = "/api", endpoint = "access/log-out")]
pub async fn log_out() -> Result<(), FormError> {
    let request = super::request_access();
    if let Some(token) = &request.session {
        super::the_box().log_out(token);
    }
    set_session_cookie("", request.over_https);
    Ok(())
}

/// Sets the password, or changes it given the current one; the one who sets it stays logged
/// in.
#[server(prefix = "/api", endpoint = "access/password")]
pub async fn set_admin_password(
    current_password: Option<String>,
    password: String,
    confirmation: String,
) -> Result<(), FormError> {
    let request = super::request_access();
    let token = super::the_box()
        .set_admin_password(current_password, password, confirmation, request.client)
        .await
        .map_err(super::refusal)?;
    set_session_cookie(&token, request.over_https);
    Ok(())
}

/// Removes the password: whoever does so types it, as to change it.
#[server(prefix = "/api", endpoint = "access/password/remove")]
pub async fn remove_admin_password(password_to_remove: String) -> Result<(), FormError> {
    let request = super::request_access();
    super::the_box()
        .remove_admin_password(password_to_remove, request.client)
        .await
        .map_err(super::refusal)
}

/// Opens the session in this browser, or with an empty token closes it.
#[cfg(feature = "ssr")]
fn set_session_cookie(token: &str, over_https: bool) {
    use http::{header::SET_COOKIE, HeaderValue};
    let max_age = if token.is_empty() { 0 } else { 8 * 3600 };
    let secure = if over_https { "; Secure" } else { "" };
    let name = session_cookie(over_https);
    let cookie =
        format!("{name}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}");
    if let (Some(response), Ok(cookie)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        response.append_header(SET_COOKIE, cookie);
    }
}

/// Too many wrong passwords: 429 and when to come back, for a script.
#[cfg(feature = "ssr")]
fn slow_down(seconds: u64) {
    if super::from_a_plain_form() {
        return;
    }
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::TOO_MANY_REQUESTS);
        response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
    }
}
