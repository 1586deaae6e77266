//! The log level: one for the whole box and one per component, each applied at once without
//! a restart, kept across restarts, and back to the default after seven days, so a debug
//! level someone forgot does not fill the disk.

use crate::form::{FormError, FormMessage};
use crate::live_status::refresh_when;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How long a level other than the default lasts.
pub const LEVEL_LIFETIME_DAYS: i64 = 7;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    #[default]
    Info,
    Debug,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Error, Level::Warning, Level::Info, Level::Debug];

    pub fn label(self) -> &'static str {
        match self {
            Self::Error => "Error",
            Self::Warning => "Warning",
            Self::Info => "Info",
            Self::Debug => "Debug",
        }
    }

    /// As tracing spells it in a filter.
    fn directive(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warn",
            Self::Info => "info",
            Self::Debug => "debug",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Level {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Level::ALL
            .into_iter()
            .find(|level| level.label().eq_ignore_ascii_case(text))
            .ok_or_else(|| format!("unknown log level {text}"))
    }
}

/// The levels of the box and of its components.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLevels {
    /// Everything not named below.
    pub root: Level,
    /// The certificate engine (check, load, store, serve, schedule).
    pub certificate: Level,
    /// The web server: requests, refusals.
    pub web: Level,
}

impl LogLevels {
    /// The tracing filter these levels stand for.
    pub fn filter(&self) -> String {
        format!(
            "{},app::certificate={},iotbox={},tower_http={}",
            self.root.directive(),
            self.certificate.directive(),
            self.web.directive(),
            self.web.directive(),
        )
    }
}

/// What the page shows: the levels, and when they go back to the default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLevelStatus {
    pub levels: LogLevels,
    /// RFC 3339; `None` while every level is the default.
    pub reset_on: Option<String>,
}

#[server(prefix = "/api", endpoint = "log-level")]
pub async fn set_log_levels(
    root: String,
    certificate: String,
    web: String,
) -> Result<(), FormError> {
    let parse = |field: &str, text: &str| {
        text.parse::<Level>()
            .map_err(|message| FormError::field(field, message))
    };
    let levels = LogLevels {
        root: parse("root", &root)?,
        certificate: parse("certificate", &certificate)?,
        web: parse("web", &web)?,
    };
    crate::iot_box::from_context()
        .set_log_levels(levels)
        .map_err(|e| FormError::Refused(e.to_string()))
}

#[component]
pub fn LogLevelForm(status: Signal<LogLevelStatus>) -> impl IntoView {
    let set = ServerAction::<SetLogLevels>::new();
    refresh_when(set.version());
    let error = move || set.value().get().and_then(Result::err);
    let select = move |name: &'static str, label: &'static str, pick: fn(&LogLevels) -> Level| {
        let id = format!("log-level-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <select id=id name=name>
                    {Level::ALL.into_iter().map(|level| view! {
                        <option
                            value=level.label()
                            selected=move || pick(&status.read().levels) == level
                        >{level.label()}</option>
                    }).collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <section class="panel" id="log-level" aria-labelledby="log-level-title">
            <h2 id="log-level-title">"Log level"</h2>
            <p class="panel__hint">
                {move || match status.read().reset_on.clone() {
                    Some(date) => format!(
                        "Back to the default (Info) on {}, so the logs do not fill the disk.",
                        crate::certificate::date_part(&date)
                    ),
                    None => format!(
                        "Debug shows more; a level you change goes back to Info after {LEVEL_LIFETIME_DAYS} days."
                    ),
                }}
            </p>
            <ActionForm action=set attr:class="form">
                <FormMessage error=Signal::derive(error) saved=set.version() />
                {select("root", "Whole box", |levels| levels.root)}
                {select("certificate", "Certificate engine", |levels| levels.certificate)}
                {select("web", "Web server", |levels| levels.web)}
                <div class="form__buttons">
                    <button type="submit" class="button button--primary">"Apply"</button>
                </div>
            </ActionForm>
            <p>
                <a class="button" href="/api/logs" download data-testid="download-logs">"Download logs"</a>
            </p>
        </section>
    }
}

/// Applies a filter to the running logger; the binary gives the box one.
#[cfg(feature = "ssr")]
pub type LogReloader = Box<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_make_a_filter_per_component() {
        let levels = LogLevels {
            root: Level::Warning,
            certificate: Level::Debug,
            web: Level::Error,
        };
        assert_eq!(
            levels.filter(),
            "warn,app::certificate=debug,iotbox=error,tower_http=error"
        );
        assert_eq!("debug".parse::<Level>(), Ok(Level::Debug));
        assert!("verbose".parse::<Level>().is_err());
    }
}
