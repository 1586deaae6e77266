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
use tracing::Instrument;

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
    let Ok(place) = turns.places.clone().try_acquire_owned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            "The box is answering many page loads; try again in a moment.",
        )
            .into_response();
    };
    // A load given up while it waits takes no turn. The semaphore is never closed (`None`
    // would only mean no turn is kept).
    let turn = turns.rendering.clone().acquire_owned().await.ok();
    // The page is rendered whole before the answer starts (`SsrMode::Async`), so the turn
    // covers the render. Once begun, a render runs to its end in a task of its own, even if
    // its visitor leaves: dropped halfway, it would leave Leptos's suspense work spawned
    // behind it, which then found the render's signals and contexts gone, and panicked.
    let render = tokio::spawn(
        async move {
            let _taken = (place, turn);
            next.run(request).await
        }
        .in_current_span(),
    );
    render.await.unwrap_or_else(|failed| {
        tracing::error!(%failed, "a page render failed");
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    })
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

    #[tokio::test(start_paused = true)]
    async fn a_render_begun_runs_to_its_end_when_its_visitor_leaves() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::time::Duration;
        use tower::ServiceExt;

        let finished = Arc::new(AtomicBool::new(false));
        let render = {
            let finished = finished.clone();
            move || async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                finished.store(true, Ordering::SeqCst);
                "the page"
            }
        };
        let router = axum::Router::new()
            .route("/", axum::routing::get(render))
            .layer(axum::middleware::from_fn_with_state(turns(), take_turns));
        let load = router.oneshot(Request::get("/").body(Body::empty()).unwrap());
        // The visitor leaves 10 ms into the render.
        let left = tokio::time::timeout(Duration::from_millis(10), load).await;
        assert!(left.is_err());
        assert!(!finished.load(Ordering::SeqCst));
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(finished.load(Ordering::SeqCst));
    }
}
