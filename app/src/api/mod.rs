//! The server functions: each reads its form, asks the box, and turns a refusal into a
//! [`FormError`]. They reach the box only through [`BoxApi`], which the server implements
//! and provides as context, so the page depends on no part of the box itself.

pub mod access;
pub mod advanced_details;
pub mod certificate;
pub mod cookies;
pub mod credential;
pub mod diagnostics;
pub mod form_error;
pub mod language;
pub mod log_level;
pub mod log_view;
pub mod odoo_server;
pub mod status;
pub mod status_events;

pub use form_error::FormError;

#[cfg(feature = "ssr")]
pub use box_api::{the_box, BoxApi, RequestAccess};

/// The answer to a refused form: a value refused answers 422 to a script, so that it is not
/// taken for a failure of the box; a browser posting the plain form is sent back to the page
/// with the refusal, as `server_fn` does for every request that accepts HTML.
#[cfg(feature = "ssr")]
fn refusal(error: impl Into<FormError>) -> FormError {
    let error = error.into();
    if matches!(error, FormError::Fields(_)) && !from_a_plain_form() {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
    error
}

/// A browser posting a plain form (no JavaScript) accepts HTML, and is sent back to the page
/// whatever the answer; a status set for it would replace that redirect.
#[cfg(feature = "ssr")]
fn from_a_plain_form() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|request| request.headers.get(http::header::ACCEPT).cloned())
        .is_some_and(|accept| accept.to_str().is_ok_and(|a| a.contains("text/html")))
}

/// What the web layer found out about this request's sender.
#[cfg(feature = "ssr")]
fn request_access() -> RequestAccess {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|request| request.extensions.get::<RequestAccess>().cloned())
        .unwrap_or_default()
}

#[cfg(feature = "ssr")]
mod box_api {
    use crate::model::box_status::BoxStatus;
    use crate::model::change_error::ChangeError;
    use crate::model::diagnostics::DiagnosticsReport;
    use crate::model::log_level::{Level, LogLevels};
    use crate::model::log_view::LogTail;
    use std::net::IpAddr;
    use std::sync::Arc;

    /// What the page may ask of the box. Changes are async: the box writes and syncs files
    /// off the async runtime and answers once they are on disk.
    #[async_trait::async_trait]
    pub trait BoxApi: Send + Sync + 'static {
        /// The status, for a request whose session cookie holds `session`.
        async fn status(&self, session: Option<String>) -> BoxStatus;
        /// A person opened (or refreshed) the homepage: as documented, that retries a
        /// failed certificate request, within the box's bounds.
        fn page_visited(&self);
        /// "Try again": a certificate request now, even to replace an unreadable one.
        fn try_again(&self);
        /// Connects to the server at `url` as the person typed it.
        async fn connect_odoo_server(&self, url: String) -> Result<(), ChangeError>;
        /// Also forgets the credential: it belonged to that server's database.
        async fn disconnect_odoo_server(&self) -> Result<(), ChangeError>;
        /// Checks and saves the credential, and asks for a certificate with it at once.
        async fn save_credential(
            &self,
            db_uuid: String,
            contract_number: String,
        ) -> Result<(), ChangeError>;
        async fn clear_credential(&self) -> Result<(), ChangeError>;
        async fn set_log_levels(&self, levels: LogLevels) -> Result<(), ChangeError>;
        /// Checks the admin password; gives a session token for the cookie.
        async fn log_in(
            &self,
            password: String,
            client: Option<IpAddr>,
        ) -> Result<String, ChangeError>;
        fn log_out(&self, token: &str);
        /// Sets the admin password, or changes it given the `current` one; gives a session
        /// for the one who set it.
        async fn set_admin_password(
            &self,
            current: Option<String>,
            password: String,
            confirmation: String,
            client: Option<IpAddr>,
        ) -> Result<String, ChangeError>;
        /// Removes the admin password given the `current` one, slowed down after wrong ones
        /// as a login is: an open session alone is not enough.
        async fn remove_admin_password(
            &self,
            current: String,
            client: Option<IpAddr>,
        ) -> Result<(), ChangeError>;
        /// The last result of each diagnostic check.
        fn diagnostics(&self) -> DiagnosticsReport;
        /// Runs the diagnostics now, within their bounds, and gives the newest results.
        async fn run_diagnostics(&self) -> DiagnosticsReport;
        /// The last log lines at `level` or more severe, secrets taken out; `None` when the
        /// session may not read the logs. The error says why the log could not be read.
        async fn log_tail(
            &self,
            level: Level,
            session: Option<String>,
        ) -> Result<Option<LogTail>, String>;
    }

    /// What the web layer knows of a request's sender, put in its extensions.
    #[derive(Clone, Default)]
    pub struct RequestAccess {
        /// The token of the session cookie, if any (whether it is open, the box says).
        pub session: Option<String>,
        pub over_https: bool,
        pub client: Option<IpAddr>,
    }

    /// The token is a secret: never printed.
    impl std::fmt::Debug for RequestAccess {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("RequestAccess")
                .field("session", &self.session.as_ref().map(|_| ".."))
                .field("over_https", &self.over_https)
                .field("client", &self.client)
                .finish()
        }
    }

    /// The box, as the server provides it to every request.
    pub fn the_box() -> Arc<dyn BoxApi> {
        leptos::prelude::expect_context::<Arc<dyn BoxApi>>()
    }
}
