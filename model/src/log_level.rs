//! The log level: one for the whole box and one per component, each applied at once without
//! a restart, kept across restarts, and back to the default after seven days, so a debug
//! level someone forgot does not fill the disk.

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

/// What has a level of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Component {
    /// Everything not named below.
    Root,
    /// The certificate engine (check, load, store, serve, schedule).
    Certificate,
    /// The web server: requests, refusals.
    Web,
}

impl Component {
    pub const ALL: [Component; 3] = [Component::Root, Component::Certificate, Component::Web];

    /// Its name in the form and in the settings file's `[log]` section.
    pub fn field(self) -> &'static str {
        match self {
            Self::Root => "root",
            Self::Certificate => "certificate",
            Self::Web => "web",
        }
    }
}

/// The levels of the box and of its components; the field names are [`Component::field`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLevels {
    pub root: Level,
    pub certificate: Level,
    pub web: Level,
}

impl LogLevels {
    pub fn get(&self, component: Component) -> Level {
        match component {
            Component::Root => self.root,
            Component::Certificate => self.certificate,
            Component::Web => self.web,
        }
    }

    pub fn set(&mut self, component: Component, level: Level) {
        match component {
            Component::Root => self.root = level,
            Component::Certificate => self.certificate = level,
            Component::Web => self.web = level,
        }
    }
}

/// What the page shows: the levels, and when they go back to the default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLevelStatus {
    pub levels: LogLevels,
    /// RFC 3339; `None` while every level is the default.
    pub reset_on: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_read_back_from_their_labels() {
        for level in Level::ALL {
            assert_eq!(level.label().parse::<Level>(), Ok(level));
        }
        assert_eq!("debug".parse::<Level>(), Ok(Level::Debug));
        assert!("verbose".parse::<Level>().is_err());
    }

    #[test]
    fn each_component_is_its_own_field() {
        let mut levels = LogLevels::default();
        levels.set(Component::Web, Level::Debug);
        let json = serde_json::to_value(levels).unwrap();
        for component in Component::ALL {
            assert_eq!(
                json[component.field()],
                serde_json::json!(levels.get(component))
            );
        }
        assert_eq!(json["web"], "debug");
    }
}
