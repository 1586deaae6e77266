//! What every check's result shows: its verdict in words (title, why, the steps that fix
//! it) and when it ran.

use crate::dates::{written, Shown};
use crate::i18n::*;
use leptos::prelude::*;

/// A verdict in words: what it is, why, and the steps that fix it.
pub struct VerdictHelp {
    pub title: String,
    pub explanation: String,
    pub steps: Vec<&'static str>,
}

/// A verdict and its fix; `name` prefixes the test ids (`<name>-verdict`, `<name>-fix`).
#[component]
pub fn Verdict(help: VerdictHelp, name: &'static str, kind: &'static str) -> impl IntoView {
    view! {
        <p class="diagnosis__verdict" data-testid=format!("{name}-verdict") data-verdict=kind>
            <strong>{help.title}</strong>
        </p>
        <p>{help.explanation}</p>
        {(!help.steps.is_empty()).then(|| view! {
            <ol class="banner__steps" data-testid=format!("{name}-fix")>
                {help.steps.into_iter().map(|step| view! { <li>{step}</li> }).collect_view()}
            </ol>
        })}
    }
}

/// When a check ran; `data-at` holds the exact time for scripts.
#[component]
pub fn CheckedAt(at: String, name: &'static str) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let exact = at.clone();
    view! {
        <p class="diagnosis__when" data-testid=format!("{name}-at") data-at=exact>
            {move || td_string!(locale, diagnostics.checked, at = written(&at, Shown::DateAndTime, locale)).to_string()}
        </p>
    }
}
