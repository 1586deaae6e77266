//! The box homepage: components and server functions shared by the server (`ssr`) and the
//! browser (`hydrate`). Server-only code sits behind the `ssr` feature.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet};
use leptos_router::{
    components::{Route, Router, Routes},
    SsrMode, StaticSegment,
};

pub mod advanced_details;
pub mod banner;
pub mod certificate;
pub mod credential;
pub mod form;
pub mod homepage;
pub mod live_status;
pub mod log_level;
pub mod odoo_server;
pub mod status;

#[cfg(feature = "ssr")]
pub mod atomic_file;
#[cfg(feature = "ssr")]
mod file_stamp;
#[cfg(feature = "ssr")]
pub mod iot_box;
#[cfg(feature = "ssr")]
pub mod log_file;
#[cfg(feature = "ssr")]
mod network_identity;
#[cfg(feature = "ssr")]
pub mod settings;

use homepage::HomePage;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
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

    view! {
        <Stylesheet id="leptos" href="/pkg/iotbox.css" />
        <Router>
            <Routes fallback=|| view! { <p class="not-found">"Page not found."</p> }>
                // Async: the whole page, status included, is in the first HTML response, so it
                // is complete without JavaScript.
                <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
