//! The box homepage, built for the server (`ssr`) and for the browser (`hydrate`):
//! - `model`: the types the page and the box share (serde only);
//! - `api`: the server functions, and the interface through which they reach the box;
//! - `components`: the page, one concern per file;
//! - `content_security_policy`: the policy the page is served with (server side);
//! - `i18n`: the texts per language, generated from `locales/*.json`;
//! - `dates`: times as a person reads them, in the page's language.
//!
//! The box itself is the `iotbox` crate (`server/`), which implements `api::BoxApi`.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    SsrMode, StaticSegment,
};

pub mod api;
pub mod components;
pub mod dates;
pub mod page_files;
// The page's texts per language: `locales/*.json`, turned into checked keys by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
#[cfg(feature = "ssr")]
pub mod content_security_policy;
pub use model;

use components::homepage::HomePage;
use i18n::{td_string, use_i18n, Locale};
use leptos_i18n::Locale as _;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy::set_for_this_page(&options);
    view! {
        <!DOCTYPE html>
        // `lang` is the App's: it follows the page's language.
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <page_files::PageFileLinks options />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The context without its provider component, which writes a script without the page's
    // nonce. The server takes the language from `Accept-Language`, or from the one this
    // browser chose; the browser reads it back from `<html lang>`.
    let i18n = leptos_i18n::context::init_i18n_context::<Locale>();
    #[cfg(feature = "ssr")]
    if let Some(chosen) = api::language::remembered() {
        i18n.set_locale(chosen);
    }
    provide_context(i18n);
    dates::provide_written_times();
    let lang = i18n.get_locale_untracked().as_str();

    view! {
        <Html {..} lang=lang />
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                // Async: the whole page, status included, is in the first HTML response, so it
                // is complete without JavaScript.
                <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    view! { <p class="not-found">{td_string!(locale, page.not_found)}</p> }
}
