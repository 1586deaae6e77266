//! What every answer of the box gets on its way out, refusals too, in one layer (each layer
//! clones what it wraps and boxes a future, for every request): how long browsers keep it
//! (`caching`), the security headers (`security_headers`), and its count for `/metrics`.

use super::{caching, metrics, security_headers};
use axum::body::Body;
use axum::extract::State;
use axum::http::Request;
use axum::middleware::Next;
use axum::response::Response;
use iotbox_core::iot_box::IotBox;
use std::sync::Arc;

#[derive(Clone)]
pub struct Outgoing {
    pub iot_box: Arc<IotBox>,
    pub hashed: caching::HashedFiles,
}

/// Outside the request guards, so that their refusals get the headers and are counted.
pub async fn finish(
    State(outgoing): State<Outgoing>,
    request: Request<Body>,
    next: Next,
) -> Response {
    // What the answer needs from the request, read before the request is handed on.
    let hashed_file = outgoing.hashed.holds(request.uri().path());
    let hsts = security_headers::hsts_due(&outgoing.iot_box, &request);
    let mut response = next.run(request).await;
    caching::mark(hashed_file, &mut response);
    security_headers::add(response.headers_mut(), hsts);
    metrics::count(&outgoing.iot_box, &response);
    response
}
