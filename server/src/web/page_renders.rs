//! Pages rendered a few at a time. Rendering is CPU work: on a box's few cores, a burst of
//! 256 page loads gains nothing from 256 renders at once, while each holds its memory until
//! it ends. The others wait their turn, in order (tokio's semaphore is fair), but only so
//! many: past [`MOST_WAITING`] a page load is answered `503` at once with `Retry-After`, so
//! a flood sheds instead of queueing without bound. API calls and the page's files do not
//! wait.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Page loads waiting for their turn, at most: a person reloading gets the page well within
/// a second of renders, a flood gets `503`.
pub const MOST_WAITING: usize = 256;

#[derive(Clone)]
pub struct Turns {
    /// Renders under way.
    rendering: Arc<Semaphore>,
    /// Renders under way or waiting.
    places: Arc<Semaphore>,
}

/// Two renders a core: one rendering while the other waits for the box's status.
pub fn turns() -> Turns {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    Turns {
        rendering: Arc::new(Semaphore::new(2 * cores)),
        places: Arc::new(Semaphore::new(2 * cores + MOST_WAITING)),
    }
}

pub async fn take_turns(
    State(turns): State<Turns>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if !is_page(request.method(), request.uri().path()) {
        return next.run(request).await;
    }
    let Ok(_place) = turns.places.try_acquire() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            "The box is answering many page loads; try again in a moment.",
        )
            .into_response();
    };
    // The page is rendered whole before the answer starts (`SsrMode::Async`), so the turn
    // covers the render. The semaphore is never closed.
    let _turn = turns.rendering.acquire().await;
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
