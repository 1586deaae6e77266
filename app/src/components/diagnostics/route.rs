//! The way to the certificate server: the verdict with its fix, then each step, worked,
//! failed or not tried, with what happened and how long it took.

use super::route_help::route_help;
use super::verdict::{CheckedAt, Verdict};
use crate::i18n::*;
use crate::model::diagnostics::route::{RouteDiagnosis, RouteStep, Step};
use leptos::prelude::*;

#[component]
pub fn RouteResult(route: RouteDiagnosis) -> impl IntoView {
    let steps = Step::ALL.map(|step| {
        let ran = route.steps.iter().find(|ran| ran.step == step).cloned();
        view! { <StepRow step ran /> }
    });
    view! {
        <Verdict help=route_help(&route.verdict, use_i18n().get_locale_untracked()) name="diagnosis" kind=route.verdict.kind() />
        <ul class="diagnosis__steps">{steps}</ul>
        <CheckedAt at=route.at name="diagnosis" />
    }
}

#[component]
fn StepRow(step: Step, ran: Option<RouteStep>) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    // `outcome` marks the row for scripts; `said` is it in words.
    let (mark, outcome, said, detail) = match &ran {
        Some(ran) if ran.ok => (
            "✓",
            "worked",
            td_string!(locale, diagnostics.step.worked),
            format!("{} ({} ms)", ran.detail, ran.duration_ms),
        ),
        Some(ran) => (
            "✗",
            "failed",
            td_string!(locale, diagnostics.step.failed),
            format!("{} ({} ms)", ran.detail, ran.duration_ms),
        ),
        None => (
            "–",
            "not tried",
            td_string!(locale, diagnostics.step.not_tried),
            String::new(),
        ),
    };
    let label = match step {
        Step::Dns => td_string!(locale, diagnostics.step.dns),
        Step::Tcp => td_string!(locale, diagnostics.step.tcp),
        Step::Tls => td_string!(locale, diagnostics.step.tls),
        Step::Http => td_string!(locale, diagnostics.step.http),
    };
    view! {
        <li class="diagnosis__step" data-step=step.kind() data-outcome=outcome>
            <span aria-hidden="true">{mark} " "</span>
            {label} ": " {said}
            {(!detail.is_empty()).then(|| view! { <span class="diagnosis__detail">" — " {detail}</span> })}
        </li>
    }
}
