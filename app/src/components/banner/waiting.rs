//! The banners of a certificate on its way: asked for now, or about to be.

use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn RequestingBanner() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="banner banner--info" data-testid="banner" role="status">
            <h2 class="banner__title">{t!(i18n, banner.requesting_title)}</h2>
            <p>{t!(i18n, banner.requesting_text)}</p>
        </section>
    }
}

/// `temporary`: the box serves its temporary certificate; otherwise its real one is due.
#[component]
pub fn PendingBanner(temporary: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="banner banner--info" data-testid="banner" role="status">
            <h2 class="banner__title">
                {move || if temporary {
                    t_string!(i18n, banner.temporary_title)
                } else {
                    t_string!(i18n, banner.renewal_due_title)
                }}
            </h2>
            <p>{t!(i18n, banner.pending_text)}</p>
        </section>
    }
}
