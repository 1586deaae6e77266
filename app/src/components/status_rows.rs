//! The rows under the banner: version, Odoo server, certificate state, HTTPS address.

use crate::dates::{written, Shown};
use crate::i18n::*;
use crate::model::box_status::BoxStatus;
use crate::model::certificate::{CertificateState, CertificateStatus};
use leptos::prelude::*;

#[component]
pub fn StatusRows(status: ReadSignal<BoxStatus>) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    view! {
        <dl class="status-rows">
            <StatusRow id="version" label=td_string!(locale, rows.version) value=row_text(status, move |s: &BoxStatus| Some(s.version.clone()), "") />
            <StatusRow id="odoo-server" label=td_string!(locale, rows.odoo_server)
                value=row_text(status, move |s: &BoxStatus| s.odoo_server.clone(), td_string!(locale, rows.not_connected)) />
            <StatusRow id="https-certificate" label=td_string!(locale, rows.https_certificate)
                value=row_text(status, move |s: &BoxStatus| Some(summary(&s.certificate, locale)), "") />
            {move || {
                status.read().certificate.https_address.clone().map(|address| view! {
                    <div class="status-row" data-testid="https-address">
                        <dt>{td_string!(locale, rows.https_address)}</dt>
                        <dd><a href=address.clone()>{address.clone()}</a></dd>
                    </div>
                })
            }}
        </dl>
    }
}

/// One labelled value; `id` names it for tests.
#[component]
pub fn StatusRow(id: &'static str, label: &'static str, value: Signal<String>) -> impl IntoView {
    view! {
        <div class="status-row" data-testid=id>
            <dt>{label}</dt>
            <dd>{value}</dd>
        </div>
    }
}

/// A row's text: what `pick` finds in the status, or `none`.
pub fn row_text(
    status: ReadSignal<BoxStatus>,
    pick: impl Fn(&BoxStatus) -> Option<String> + Send + Sync + 'static,
    none: &'static str,
) -> Signal<String> {
    Signal::derive(move || status.with(&pick).unwrap_or_else(|| none.to_string()))
}

/// The certificate in one line: valid until when, or its error code (never translated: users
/// quote it), or what happens next.
fn summary(certificate: &CertificateStatus, locale: Locale) -> String {
    match (&certificate.state, &certificate.error) {
        (CertificateState::Ok, _) => {
            let date = certificate
                .not_after
                .as_deref()
                .map(|at| written(at, Shown::Date, locale))
                .unwrap_or_default();
            match certificate.days_left {
                Some(days) => td_string!(locale, rows.summary.valid_until_days, date, count = days)
                    .to_string(),
                None => td_string!(locale, rows.summary.valid_until, date).to_string(),
            }
        }
        (CertificateState::Requesting, _) => td_string!(locale, rows.summary.requesting).into(),
        (CertificateState::Error, Some(error)) => error.code.to_string(),
        (CertificateState::Error, None) | (CertificateState::NeedsCertificate, _) => {
            if certificate.temporary {
                td_string!(locale, rows.summary.temporary).into()
            } else {
                td_string!(locale, rows.summary.due).into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_for(days: i64) -> CertificateStatus {
        CertificateStatus {
            state: CertificateState::Ok,
            error: None,
            subject: None,
            not_before: None,
            not_after: Some("2027-01-25T14:03:07Z".into()),
            renewal_starts: None,
            days_left: Some(days),
            temporary: false,
            expires_soon: false,
            renewal_deferred: false,
            last_attempt: None,
            next_attempt: None,
            https_address: None,
        }
    }

    #[test]
    fn days_left_follow_each_language_plural_rules() {
        let summary = |days, locale| summary(&valid_for(days), locale);
        assert_eq!(
            summary(1, Locale::en),
            "Valid until January 25, 2027 (1 day left)"
        );
        assert_eq!(
            summary(2, Locale::en),
            "Valid until January 25, 2027 (2 days left)"
        );
        assert_eq!(
            summary(1, Locale::it),
            "Valido fino al giorno 25 gennaio 2027 (manca 1 giorno)"
        );
        assert_eq!(
            summary(21, Locale::it),
            "Valido fino al giorno 25 gennaio 2027 (mancano 21 giorni)"
        );
        assert_eq!(
            summary(1, Locale::vi),
            "Có hiệu lực đến 25 tháng 1, 2027 (còn 1 ngày)"
        );
    }
}
