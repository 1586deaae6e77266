//! The live log view: the last lines of the box's log, with secrets taken out.

use super::log_level::Level;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    /// As the log wrote it (RFC 3339, UTC).
    pub at: String,
    pub level: Level,
    /// The part of the box that wrote it, e.g. `iotbox_core::certificate::engine`.
    pub target: String,
    pub message: String,
}

/// The lines at `level` or more severe, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogTail {
    pub level: Level,
    pub lines: Vec<LogLine>,
}
