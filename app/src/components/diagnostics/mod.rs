//! The diagnostics panel, shown in the banner with a failure they may explain: the verdict
//! and its fix, each step of the way to the certificate server with how long it took, and
//! "Run diagnostics". Without JavaScript the button posts the form, the box runs the checks
//! (seconds at most), and the page comes back with the result.

mod verdict;

use crate::api::diagnostics::RunDiagnostics;
use crate::components::live_status::refresh_when;
use crate::model::certificate::date_and_time;
use crate::model::diagnostics::{Diagnosis, RouteStep, Step};
use leptos::prelude::*;
use verdict::verdict_help;

#[component]
pub fn DiagnosticsPanel(diagnosis: Signal<Option<Diagnosis>>) -> impl IntoView {
    let run = ServerAction::<RunDiagnostics>::new();
    refresh_when(run.version());
    // The run's own answer shows at once; the next poll brings the same.
    let shown = Signal::derive(move || match run.value().get() {
        Some(Ok(ran))
            if diagnosis
                .read()
                .as_ref()
                .is_none_or(|last| last.at <= ran.at) =>
        {
            Some(ran)
        }
        _ => diagnosis.get(),
    });
    let running = run.pending();
    view! {
        <section class="diagnosis" data-testid="diagnosis" aria-live="polite">
            <h3 class="diagnosis__title">"Diagnostics"</h3>
            {move || match shown.get() {
                None => view! {
                    <p data-testid="diagnosis-none">
                        "Not run yet: they check each step of the way to the certificate server."
                    </p>
                }.into_any(),
                Some(diagnosis) => view! { <Result diagnosis /> }.into_any(),
            }}
            <ActionForm action=run attr:class="form--inline">
                <button type="submit" class="button" disabled=running data-testid="run-diagnostics">
                    {move || if running.get() { "Running diagnostics…" } else { "Run diagnostics" }}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Result(diagnosis: Diagnosis) -> impl IntoView {
    let help = verdict_help(&diagnosis.verdict);
    let steps = Step::ALL.map(|step| {
        let ran = diagnosis.route.iter().find(|ran| ran.step == step).cloned();
        view! { <StepRow step ran /> }
    });
    view! {
        <p class="diagnosis__verdict" data-testid="diagnosis-verdict" data-verdict=diagnosis.verdict.kind()>
            <strong>{help.title}</strong>
        </p>
        <p>{help.explanation}</p>
        {(!help.steps.is_empty()).then(|| view! {
            <ol class="banner__steps" data-testid="diagnosis-fix">
                {help.steps.iter().map(|step| view! { <li>{*step}</li> }).collect_view()}
            </ol>
        })}
        <ul class="diagnosis__steps">{steps}</ul>
        <p class="diagnosis__when" data-testid="diagnosis-at" data-at=diagnosis.at.clone()>
            "Checked " {date_and_time(&diagnosis.at)} "."
        </p>
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
