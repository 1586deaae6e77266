//! The HTTPS address check: the verdict with its fix, then what each resolver answered and
//! how long it took.

use super::address_help::address_help;
use super::verdict::{CheckedAt, Verdict};
use crate::i18n::*;
use crate::model::diagnostics::address::{AddressCheck, Lookup, LookupAnswer};
use leptos::prelude::*;

#[component]
pub fn AddressResult(check: AddressCheck) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    view! {
        <Verdict help=address_help(&check.verdict, locale) name="address" kind=check.verdict.kind() />
        <ul class="diagnosis__steps">
            <li class="diagnosis__step">
                {td_string!(locale, diagnostics.lookup.should_resolve, name = check.name.clone(), ip = check.box_ip.clone()).to_string()}
            </li>
            <LookupRow label=td_string!(locale, diagnostics.lookup.network) which="network" lookup=check.network />
            <LookupRow label=td_string!(locale, diagnostics.lookup.public) which="public" lookup=check.public />
        </ul>
        <CheckedAt at=check.at name="address" />
    }
}

#[component]
fn LookupRow(label: &'static str, which: &'static str, lookup: Lookup) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    // `outcome` marks the row for scripts; `said` is it in words.
    let (outcome, said, answer) = match &lookup.answer {
        LookupAnswer::Found { addresses } => (
            "found",
            td_string!(locale, diagnostics.lookup.found),
            addresses.join(", "),
        ),
        LookupAnswer::NotFound => (
            "not found",
            td_string!(locale, diagnostics.lookup.not_found),
            td_string!(locale, diagnostics.lookup.no_such_name).to_string(),
        ),
        LookupAnswer::Failed { error } => (
            "failed",
            td_string!(locale, diagnostics.lookup.failed),
            error.clone(),
        ),
    };
    let resolver = if lookup.resolver.is_empty() {
        String::new()
    } else {
        format!(" ({})", lookup.resolver)
    };
    view! {
        <li class="diagnosis__step" data-lookup=which data-outcome=outcome>
            {label} {resolver} ": " {said}
            <span class="diagnosis__detail">" — " {answer} " (" {lookup.duration_ms} " ms)"</span>
        </li>
    }
}
