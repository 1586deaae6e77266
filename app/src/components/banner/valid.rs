//! The banner of a working certificate: until when, for which name, when renewal starts, the
//! secure address, and a failed renewal if there was one (the certificate still works). From
//! two weeks before its end, a certificate not yet renewed turns the banner into a warning.

use crate::dates::{written, Shown};
use crate::i18n::*;
use crate::model::certificate::CertificateStatus;
use leptos::prelude::*;

#[component]
pub fn ValidBanner(certificate: Signal<CertificateStatus>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let date = move |pick: fn(&CertificateStatus) -> &Option<String>| {
        move || {
            pick(&certificate.read())
                .as_deref()
                .map(|at| written(at, Shown::Date, locale))
                .unwrap_or_default()
        }
    };
    let address = Memo::new(move |_| certificate.read().https_address.clone());
    // A server that hands out the certificate it has until it renews its own.
    let deferred = Memo::new(move |_| {
        let certificate = certificate.read();
        certificate
            .renewal_deferred
            .then(|| certificate.next_attempt.clone())
            .flatten()
    });
    let expires_soon = Memo::new(move |_| certificate.read().expires_soon);
    let renewal_failure = Memo::new(move |_| {
        certificate
            .read()
            .error
            .as_ref()
            .map(|error| error.code.to_string())
    });
    view! {
        <section
            class="banner"
            class:banner--ok=move || !expires_soon.get()
            class:banner--warning=move || expires_soon.get()
            data-testid="banner"
            aria-live="polite"
        >
            <h2 class="banner__title">
                {move || td_string!(locale, banner.valid_until, date = date(|c| &c.not_after)()).to_string()}
            </h2>
            <p>
                {move || certificate.read().subject.clone()} " · "
                {move || certificate.read().days_left.map(|days| {
                    td_string!(locale, banner.days_left, count = days).to_string()
                })} " · "
                {move || td_string!(locale, banner.renewal_starts, date = date(|c| &c.renewal_starts)()).to_string()}
            </p>
            {move || address.get().map(|address| view! {
                <p>{td_string!(locale, banner.secure_address)} <a href=address.clone() data-testid="https-link">{address.clone()}</a></p>
                <p class="banner__hint">{td_string!(locale, banner.dns_hint)}</p>
            })}
            {move || deferred.get().map(|from| view! {
                <p class="banner__hint" data-testid="renewal-deferred">
                    {move || td_string!(locale, banner.deferred, until = date(|c| &c.not_after)(), from = written(&from, Shown::DateAndTime, locale)).to_string()}
                </p>
            })}
            <Show when=move || expires_soon.get()>
                <p class="banner__warning" data-testid="expires-soon">
                    {move || td_string!(locale, banner.expires_soon, date = date(|c| &c.not_after)()).to_string()}
                </p>
            </Show>
            {move || renewal_failure.get().map(|code| view! {
                <p class="banner__warning">
                    {t!(i18n, banner.renewal_failed, failure = move || code.clone(), <code> = <code />)}
                </p>
            })}
        </section>
    }
}
