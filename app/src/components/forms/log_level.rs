//! The log level form: one select per component, and the log download beside it.

use super::form_message::FormMessage;
use crate::api::log_level::SetLogLevels;
use crate::dates::{written, Shown};
use crate::i18n::*;
use crate::model::log_level::{Component, Level, LogLevelStatus, LEVEL_LIFETIME_DAYS};
use leptos::prelude::*;

#[component]
pub fn LogLevelForm(status: Signal<LogLevelStatus>) -> impl IntoView {
    let set = ServerAction::<SetLogLevels>::new();
    let error = move || set.value().get().and_then(Result::err);
    let locale = use_i18n().get_locale_untracked();
    let select = move |component: Component| {
        let id = format!("log-level-{}", component.field());
        view! {
            <div class="field">
                <label for=id.clone()>{component_label(component, locale)}</label>
                <select id=id name=component.field()>
                    {Level::ALL.into_iter().map(|level| view! {
                        <option
                            value=level.label()
                            selected=move || status.read().levels.get(component) == level
                        >{level_label(level, locale)}</option>
                    }).collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <section class="panel" id="log-level" aria-labelledby="log-level-title">
            <h2 id="log-level-title">{td_string!(locale, forms.log_level.title)}</h2>
            <p class="panel__hint">
                {move || match status.read().reset_on.clone() {
                    Some(date) => {
                        td_string!(locale, forms.log_level.reset_on, date = written(&date, Shown::Date, locale)).to_string()
                    }
                    None => {
                        td_string!(locale, forms.log_level.hint, days = LEVEL_LIFETIME_DAYS).to_string()
                    }
                }}
            </p>
            <ActionForm action=set attr:class="form" attr:data-form="log-level">
                <FormMessage error=Signal::derive(error) form="log-level" />
                {Component::ALL.into_iter().map(select).collect_view()}
                <div class="form__buttons">
                    <button type="submit" class="button button--primary">{td_string!(locale, forms.log_level.apply)}</button>
                </div>
            </ActionForm>
            <p>
                <a class="button" href="/api/logs" download data-testid="download-logs">{td_string!(locale, forms.log_level.download_logs)}</a>
            </p>
        </section>
    }
}

/// A level as the page names it; its value in forms and files stays [`Level::label`].
pub fn level_label(level: Level, locale: Locale) -> &'static str {
    match level {
        Level::Error => td_string!(locale, forms.log_level.levels.error),
        Level::Warning => td_string!(locale, forms.log_level.levels.warning),
        Level::Info => td_string!(locale, forms.log_level.levels.info),
        Level::Debug => td_string!(locale, forms.log_level.levels.debug),
    }
}

fn component_label(component: Component, locale: Locale) -> &'static str {
    match component {
        Component::Root => td_string!(locale, forms.log_level.components.root),
        Component::Certificate => td_string!(locale, forms.log_level.components.certificate),
        Component::Web => td_string!(locale, forms.log_level.components.web),
    }
}
