//! Which levels are in force: the saved ones for seven days after they were chosen, then the
//! default again; and the tracing filter they stand for, component by component.

use crate::settings::LogSettings;
use model::log_level::{Component, Level, LogLevels, LEVEL_LIFETIME_DAYS};
use time::OffsetDateTime;

/// The levels in force at a given time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InForce {
    pub levels: LogLevels,
    /// The saved levels are older than [`LEVEL_LIFETIME_DAYS`]: the default applies, and the
    /// saved ones should be reset.
    pub expired: bool,
    /// When the saved levels go back to the default; `None` when they are the default.
    pub reset_on: Option<OffsetDateTime>,
}

pub fn in_force(log: &LogSettings, now: OffsetDateTime) -> InForce {
    let reset_on = log
        .changed_at
        .and_then(|changed_at| changed_at.checked_add(time::Duration::days(LEVEL_LIFETIME_DAYS)));
    match reset_on {
        Some(reset_on) if reset_on <= now => InForce {
            levels: LogLevels::default(),
            expired: true,
            reset_on: Some(reset_on),
        },
        _ => InForce {
            levels: log.levels(),
            expired: false,
            reset_on,
        },
    }
}

/// The tracing targets of a component: the modules whose events it covers, as tracing
/// names them. The root level covers every other one. (`certificate` and `web` test that
/// these are still their module paths: the web layer is the `iotbox` crate's.)
pub fn targets(component: Component) -> &'static [&'static str] {
    match component {
        Component::Root => &[],
        // The diagnostics explain the certificate's failures: the same reader wants both.
        Component::Certificate => &[
            concat!(env!("CARGO_CRATE_NAME"), "::certificate"),
            concat!(env!("CARGO_CRATE_NAME"), "::diagnostics"),
        ],
        Component::Web => &["iotbox::web", "tower_http"],
    }
}

/// The tracing filter `levels` stand for, e.g. `info,iotbox_core::certificate=debug,...`.
pub fn filter(levels: &LogLevels) -> String {
    let mut filter = directive(levels.root).to_string();
    for component in Component::ALL {
        for target in targets(component) {
            filter.push_str(&format!(",{target}={}", directive(levels.get(component))));
        }
    }
    filter
}

/// As tracing spells a level in a filter.
fn directive(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warn",
        Level::Info => "info",
        Level::Debug => "debug",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn each_component_filters_its_own_targets() {
        let levels = LogLevels {
            root: Level::Warning,
            certificate: Level::Debug,
            web: Level::Error,
        };
        assert_eq!(
            filter(&levels),
            "warn,iotbox_core::certificate=debug,iotbox_core::diagnostics=debug,iotbox::web=error,tower_http=error"
        );
    }

    #[test]
    fn saved_levels_go_back_to_the_default_after_seven_days() {
        let log = LogSettings::new(
            LogLevels {
                web: Level::Debug,
                ..LogLevels::default()
            },
            Some(datetime!(2026-11-01 12:00 UTC)),
        );
        let seventh = in_force(&log, datetime!(2026-11-08 11:59 UTC));
        assert_eq!((seventh.levels.web, seventh.expired), (Level::Debug, false));
        assert_eq!(seventh.reset_on, Some(datetime!(2026-11-08 12:00 UTC)));
        let eighth = in_force(&log, datetime!(2026-11-08 12:00 UTC));
        assert_eq!(
            (eighth.levels, eighth.expired),
            (LogLevels::default(), true)
        );
        let default = in_force(&LogSettings::default(), datetime!(2026-11-08 12:00 UTC));
        assert_eq!((default.expired, default.reset_on), (false, None));
    }
}
