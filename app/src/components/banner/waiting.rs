//! The banners of a certificate on its way: asked for now, or about to be.

use leptos::prelude::*;

#[component]
pub fn RequestingBanner() -> impl IntoView {
    view! {
        <section class="banner banner--info" data-testid="banner" role="status">
            <h2 class="banner__title">"Requesting a certificate…"</h2>
            <p>"The box is asking the certificate server for its HTTPS certificate."</p>
        </section>
    }
}

/// `temporary`: the box serves its temporary certificate; otherwise its real one is due.
#[component]
pub fn PendingBanner(temporary: bool) -> impl IntoView {
    view! {
        <section class="banner banner--info" data-testid="banner" role="status">
            <h2 class="banner__title">
                {if temporary { "Temporary certificate" } else { "Certificate renewal due" }}
            </h2>
            <p>"The box will ask the certificate server for a certificate in a moment."</p>
        </section>
    }
}
