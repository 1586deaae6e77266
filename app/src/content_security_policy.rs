//! The page's Content-Security-Policy: scripts only from the box and by this response's nonce
//! (Leptos puts it on every inline script it writes), the WASM the page compiles itself,
//! styles and images from the box, requests to the box only (by its address, and by the name
//! of its HTTPS address, which the page checks from the browser), and no framing, so that no
//! other site can show the page under a visitor's click (clickjacking). Every other answer of
//! the box gets a policy that allows nothing, from the server's web layer.

use leptos::config::LeptosOptions;
use leptos::nonce::use_nonce;
use leptos::prelude::*;

/// Where the browser reports what the policy blocked.
pub const REPORT_PATH: &str = "/api/csp-report";

/// What the page's policy is made of, kept while the page renders.
#[derive(Clone)]
struct PagePolicy {
    nonce: String,
    /// `cargo leptos watch` reloads the page through a web socket of its own.
    reload: String,
}

/// Puts the policy on the page being rendered.
pub fn set_for_this_page(options: &LeptosOptions) {
    let Some(nonce) = use_nonce() else { return };
    let reload = match options.env {
        leptos::config::Env::DEV => {
            format!(" ws://{}:{}", options.site_addr.ip(), options.reload_port)
        }
        leptos::config::Env::PROD => String::new(),
    };
    let policy = PagePolicy {
        nonce: nonce.to_string(),
        reload,
    };
    insert(&policy, "");
    provide_context(policy);
}

/// Also lets the page connect to the box by the name of its HTTPS address (`https_address`,
/// `https://<name>:<port>`), over HTTPS and plain HTTP, on any port: the device check.
pub fn allow_connections_to(https_address: &str) {
    let Some(policy) = use_context::<PagePolicy>() else {
        return;
    };
    let Some(name) = https_address
        .strip_prefix("https://")
        .and_then(|rest| rest.split([':', '/']).next())
        .filter(|name| {
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        })
    else {
        return;
    };
    insert(&policy, &format!(" https://{name}:* http://{name}:*"));
}

fn insert(policy: &PagePolicy, more_connections: &str) {
    use http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let PagePolicy { nonce, reload } = policy;
    let policy = format!(
        "default-src 'none'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self'; connect-src 'self'{more_connections}{reload}; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'; report-uri {REPORT_PATH}"
    );
    if let (Some(response), Ok(policy)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        response.insert_header(CONTENT_SECURITY_POLICY, policy);
    }
}
