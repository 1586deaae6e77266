//! The HTTPS address check: the verdict with its fix, then what each resolver answered and
//! how long it took.

use super::address_help::address_help;
use super::verdict::{CheckedAt, Verdict};
use crate::model::diagnostics::address::{AddressCheck, Lookup, LookupAnswer};
use leptos::prelude::*;

#[component]
pub fn AddressResult(check: AddressCheck) -> impl IntoView {
    view! {
        <Verdict help=address_help(&check.verdict) name="address" kind=check.verdict.kind() />
        <ul class="diagnosis__steps">
            <li class="diagnosis__step">
                {check.name.clone()} " should resolve to this box, " {check.box_ip.clone()} "."
            </li>
            <LookupRow label="This network's DNS" which="network" lookup=check.network />
            <LookupRow label="A public DNS" which="public" lookup=check.public />
        </ul>
        <CheckedAt at=check.at name="address" />
    }
}

#[component]
fn LookupRow(label: &'static str, which: &'static str, lookup: Lookup) -> impl IntoView {
    let (outcome, answer) = match &lookup.answer {
        LookupAnswer::Found { addresses } => ("found", addresses.join(", ")),
        LookupAnswer::NotFound => ("not found", "no such name".to_string()),
        LookupAnswer::Failed { error } => ("failed", error.clone()),
    };
    let resolver = if lookup.resolver.is_empty() {
        String::new()
    } else {
        format!(" ({})", lookup.resolver)
    };
    view! {
        <li class="diagnosis__step" data-lookup=which data-outcome=outcome>
            {label} {resolver} ": " {outcome}
            <span class="diagnosis__detail">" — " {answer} " (" {lookup.duration_ms} " ms)"</span>
        </li>
    }
}
