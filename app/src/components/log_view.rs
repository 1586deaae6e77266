//! The live log view in the advanced details: the last lines of the box's log, newest last,
//! filtered by level, with secrets taken out by the box. With JavaScript the page is read
//! again whenever the box says its log grew (`live_page`); without, a reload does. The level
//! is a query parameter (`?log=`), so the filter is a plain GET form that works either way.

use crate::api::log_view::{get_log_tail, LINES};
use crate::components::forms::log_level::level_label;
use crate::dates::{written, Shown};
use crate::i18n::*;
use crate::model::log_level::Level;
use crate::model::log_view::LogLine;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The query parameter of the level shown.
pub const LEVEL_PARAMETER: &str = "log";

#[component]
pub fn LogView() -> impl IntoView {
    let level = use_query_map()
        .read_untracked()
        .get(LEVEL_PARAMETER)
        .and_then(|level| level.parse::<Level>().ok())
        .unwrap_or_default();
    let locale = use_i18n().get_locale_untracked();
    view! {
        <section class="panel" id="logs" aria-labelledby="logs-title">
            <h2 id="logs-title">{td_string!(locale, log_view.title)}</h2>
            <p class="panel__hint">
                {td_string!(locale, log_view.hint, count = LINES).to_string()}
            </p>
            <form method="get" action="/" class="form--row">
                // Keeps the advanced details open when the page comes back.
                <input type="hidden" name="advanced" value="" />
                <label for="log-view-level">{td_string!(locale, log_view.level)}</label>
                <select id="log-view-level" name=LEVEL_PARAMETER>
                    {Level::ALL.into_iter().map(|shown| view! {
                        <option value=shown.label().to_lowercase() selected=level == shown>
                            {level_choice(shown, locale)}
                        </option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button">{td_string!(locale, log_view.show)}</button>
            </form>
            <Suspense fallback=move || view! { <p>{td_string!(locale, log_view.reading)}</p> }>
                {Suspend::new(async move {
                    match get_log_tail(Some(level)).await {
                        Ok(Some(tail)) if tail.lines.is_empty() => view! {
                            <p data-testid="log-empty">{td_string!(locale, log_view.empty)}</p>
                        }.into_any(),
                        Ok(Some(tail)) => view! {
                            // It scrolls: focusable, so a keyboard scrolls it too.
                            <ol class="log-lines" data-testid="log-lines" tabindex="0" aria-labelledby="logs-title">
                                {tail.lines.into_iter().map(|line| view! { <Line line /> }).collect_view()}
                            </ol>
                        }.into_any(),
                        Ok(None) => view! { <p>{td_string!(locale, log_view.log_in)}</p> }.into_any(),
                        Err(error) => view! {
                            <p class="notice notice--error" role="alert">
                                {td_string!(locale, log_view.unreadable, error = error.to_string()).to_string()}
                            </p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn level_choice(level: Level, locale: Locale) -> &'static str {
    match level {
        Level::Error => td_string!(locale, log_view.errors),
        Level::Warning => td_string!(locale, log_view.warnings),
        Level::Info => td_string!(locale, log_view.info),
        Level::Debug => td_string!(locale, log_view.debug),
    }
}

#[component]
fn Line(line: LogLine) -> impl IntoView {
    // The time of day is what a reader scans for; the whole time is in its title.
    let at = line.at.clone();
    let level = line.level;
    let locale = use_i18n().get_locale_untracked();
    let target = line.target.trim_start_matches("iotbox::").to_string();
    view! {
        <li class="log-line" data-level=level.label().to_lowercase()>
            <time datetime=line.at.clone() title=move || written(&line.at, Shown::DateAndTime, locale)>{move || written(&at, Shown::TimeOfDay, locale)}</time>
            " "
            <span class="log-line__level">{level_label(level, locale)}</span>
            " "
            <span class="log-line__target">{target}</span>
            " "
            <span class="log-line__message">{line.message}</span>
        </li>
    }
}
