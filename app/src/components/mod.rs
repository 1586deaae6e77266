//! The page's components, one concern per file.

pub mod advanced_details;
pub mod banner;
pub mod clock_notice;
pub mod cogs_button;
pub mod diagnostics;
#[cfg(feature = "hydrate")]
pub mod document_visibility;
pub mod forms;
pub mod homepage;
pub mod language_switch;
pub mod live_page;
pub mod log_view;
pub mod repairs;
pub mod status_rows;
