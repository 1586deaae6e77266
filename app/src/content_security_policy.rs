//! The page's Content-Security-Policy: scripts only from the box and by this response's nonce
//! (Leptos puts it on every inline script it writes), the WASM the page compiles itself,
//! styles and images from the box, requests to the box only, and no framing, so that no
//! other site can show the page under a visitor's click (clickjacking). Every other answer of
//! the box gets a policy that allows nothing, from the server's web layer.

use leptos::config::LeptosOptions;
use leptos::nonce::use_nonce;
use leptos::prelude::*;

/// Where the browser reports what the policy blocked.
pub const REPORT_PATH: &str = "/api/csp-report";

/// Puts the policy on the page being rendered.
pub fn set_for_this_page(options: &LeptosOptions) {
    use http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let Some(nonce) = use_nonce() else { return };
    // `cargo leptos watch` reloads the page through a web socket of its own.
    let reload = match options.env {
        leptos::config::Env::DEV => {
            format!(" ws://{}:{}", options.site_addr.ip(), options.reload_port)
        }
        leptos::config::Env::PROD => String::new(),
    };
    let policy = format!(
        "default-src 'none'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self'; connect-src 'self'{reload}; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'; report-uri {REPORT_PATH}"
    );
    if let (Some(response), Ok(policy)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        response.insert_header(CONTENT_SECURITY_POLICY, policy);
    }
}
