//! Setting the log levels: one select per component, each named after it.

#[cfg(feature = "ssr")]
use crate::api::form_error::FieldProblem;
use crate::api::form_error::FormError;
#[cfg(feature = "ssr")]
use crate::model::log_level::{Component, LogLevels};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "log-level")]
pub async fn set_log_levels(
    root: String,
    certificate: String,
    web: String,
) -> Result<(), FormError> {
    let mut levels = LogLevels::default();
    for (component, text) in [
        (Component::Root, root),
        (Component::Certificate, certificate),
        (Component::Web, web),
    ] {
        let level = text.parse().map_err(|_: String| {
            super::refusal(FormError::field(
                component.field(),
                FieldProblem::UnknownLogLevel,
            ))
        })?;
        levels.set(component, level);
    }
    super::the_box()
        .set_log_levels(levels)
        .await
        .map_err(super::refusal)
}
