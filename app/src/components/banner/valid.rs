//! The banner of a working certificate: until when, for which name, when renewal starts, the
//! secure address, and a failed renewal if there was one (the certificate still works).

use crate::model::certificate::{date_and_time, date_part, CertificateStatus};
use leptos::prelude::*;

#[component]
pub fn ValidBanner(certificate: Signal<CertificateStatus>) -> impl IntoView {
    let date = move |pick: fn(&CertificateStatus) -> &Option<String>| {
        move || {
            pick(&certificate.read())
                .as_deref()
                .map(date_part)
                .unwrap_or_default()
                .to_string()
        }
    };
    let address = Memo::new(move |_| certificate.read().https_address.clone());
    // A server that hands out the certificate it has until it renews its own.
    let deferred = Memo::new(move |_| {
        let certificate = certificate.read();
        certificate
            .renewal_deferred
            .then(|| certificate.next_attempt.as_deref().map(date_and_time))
            .flatten()
    });
    let renewal_failure = Memo::new(move |_| {
        certificate
            .read()
            .error
            .as_ref()
            .map(|error| error.code.to_string())
    });
    view! {
        <section class="banner banner--ok" data-testid="banner" aria-live="polite">
            <h2 class="banner__title">"HTTPS certificate valid until " {date(|c| &c.not_after)}</h2>
            <p>
                {move || certificate.read().subject.clone()} " · "
                {move || certificate.read().days_left.map(|d| format!("{d} days left"))} " · "
                "renewal starts on " {date(|c| &c.renewal_starts)}
            </p>
            {move || address.get().map(|address| view! {
                <p>"Secure address: " <a href=address.clone() data-testid="https-link">{address.clone()}</a></p>
                <p class="banner__hint">
                    "If this address does not open while the IP address does, the router's \
                     DNS blocks it: set a public DNS resolver (such as Google DNS) on the \
                     router, or on each device that uses the box."
                </p>
            })}
            {move || deferred.get().map(|from| view! {
                <p class="banner__hint" data-testid="renewal-deferred">
                    "The certificate server gave a certificate valid until " {date(|c| &c.not_after)}
                    "; the box asks for a newer one from " {from} "."
                </p>
            })}
            {move || renewal_failure.get().map(|code| view! {
                <p class="banner__warning">
                    "The last renewal attempt failed (" <code>{code}</code>
                    "); the box tries again by itself."
                </p>
            })}
        </section>
    }
}
