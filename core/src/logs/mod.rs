//! The box's logs: the levels chosen on the homepage, the rotated log file the homepage
//! offers for download, its last lines for the live view (`tail`), what is taken out before
//! anyone reads them (`redaction`), the subscriber that sends every line to the terminal (in
//! the `journal`'s form under systemd) and the file, and the budget of lines that strangers
//! can cause.

pub mod budget;
pub mod download;
pub mod journal;
pub mod levels;
pub mod log_file;
pub mod redaction;
pub mod subscriber;
pub mod tail;
