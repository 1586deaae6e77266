//! The one layer that checks a request before anything answers it: its host name and where a
//! change comes from (`request_guards.rs`), its body's bounds (`request_body.rs`), and the
//! login a change needs (`access_guard.rs`). One layer, not four: each layer clones what it
//! wraps and boxes a future, for every request.

use super::refusal::Refusal;
use super::{access_guard, request_body, request_guards};
use axum::body::Body;
use axum::extract::State;
use axum::http::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use iotbox_core::iot_box::IotBox;
use std::sync::Arc;

/// In request order: refused for another host name, a body too large or too slow, a change
/// from another site, a change without login.
pub async fn admit(
    State(iot_box): State<Arc<IotBox>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    match admitted(&iot_box, request).await {
        Ok(request) => next.run(request).await,
        Err(refusal) => refusal.into_response(),
    }
}

async fn admitted(iot_box: &Arc<IotBox>, request: Request<Body>) -> Result<Request<Body>, Refusal> {
    request_guards::refuse_other_hosts(iot_box, &request)?;
    let request = request_body::bound(request).await?;
    request_guards::refuse_cross_origin_changes(&request)?;
    access_guard::check(iot_box, request).await
}
