//! The way to the certificate server: the verdict with its fix, then each step, worked,
//! failed or not tried, with what happened and how long it took.

use super::route_help::route_help;
use super::verdict::{CheckedAt, Verdict};
use crate::model::diagnostics::route::{RouteDiagnosis, RouteStep, Step};
use leptos::prelude::*;

#[component]
pub fn RouteResult(route: RouteDiagnosis) -> impl IntoView {
    let steps = Step::ALL.map(|step| {
        let ran = route.steps.iter().find(|ran| ran.step == step).cloned();
        view! { <StepRow step ran /> }
    });
    view! {
        <Verdict help=route_help(&route.verdict) name="diagnosis" kind=route.verdict.kind() />
        <ul class="diagnosis__steps">{steps}</ul>
        <CheckedAt at=route.at name="diagnosis" />
    }
}

#[component]
fn StepRow(step: Step, ran: Option<RouteStep>) -> impl IntoView {
    let (mark, outcome, detail) = match &ran {
        Some(ran) if ran.ok => (
            "✓",
            "worked",
            format!("{} ({} ms)", ran.detail, ran.duration_ms),
        ),
        Some(ran) => (
            "✗",
            "failed",
            format!("{} ({} ms)", ran.detail, ran.duration_ms),
        ),
        None => ("–", "not tried", String::new()),
    };
    view! {
        <li class="diagnosis__step" data-step=step.kind() data-outcome=outcome>
            <span aria-hidden="true">{mark} " "</span>
            {step.label()} ": " {outcome}
            {(!detail.is_empty()).then(|| view! { <span class="diagnosis__detail">" — " {detail}</span> })}
        </li>
    }
}
