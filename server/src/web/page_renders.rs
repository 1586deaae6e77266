//! Pages rendered a few at a time. Rendering is CPU work: on a box's few cores, a burst of
//! 256 page loads gains nothing from 256 renders at once, while each holds its memory until
//! it ends. The others wait their turn, in order (tokio's semaphore is fair). API calls and
//! the page's files do not wait.

use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Two renders a core: one rendering while the other waits for the box's status.
pub fn turns() -> Arc<Semaphore> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    Arc::new(Semaphore::new(2 * cores))
}

pub async fn take_turns(
    State(turns): State<Arc<Semaphore>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if !is_page(request.method(), request.uri().path()) {
        return next.run(request).await;
    }
    // The page is rendered whole before the answer starts (`SsrMode::Async`), so the turn
    // covers the render. The semaphore is never closed.
    let _turn = turns.acquire().await;
    next.run(request).await
}

fn is_page(method: &Method, path: &str) -> bool {
    *method == Method::GET && !path.starts_with("/api/") && !path.starts_with("/pkg/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_page_loads_take_turns() {
        assert!(is_page(&Method::GET, "/"));
        assert!(!is_page(&Method::POST, "/"));
        assert!(!is_page(&Method::GET, "/api/status"));
        assert!(!is_page(&Method::GET, "/api/status/events"));
        assert!(!is_page(&Method::GET, "/pkg/iotbox.AbC.wasm"));
    }
}
