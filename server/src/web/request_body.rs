//! Request bodies, bounded before anything reads them: at most [`MOST_BYTES`] (a form of the
//! page is well under 1 KiB), more only for a route that needs it, and whole within
//! [`BODY_TIMEOUT`]. Past the size the answer is `413`, past the time `408`, whether the
//! client declared its length or streams it in chunks: the server functions read whole
//! bodies, and must never be the ones to find out.

use super::{csp_report, settings_backup};
use axum::body::Body;
use axum::body::HttpBody;
use axum::http::{header, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use std::time::Duration;

/// What a request may send, unless its route needs more.
pub const MOST_BYTES: usize = 8 * 1024;
/// A body must have come whole by then: a client that trickles it holds nothing longer.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// The most a request to `path` may send.
fn most_bytes(path: &str) -> usize {
    if path == app::content_security_policy::REPORT_PATH {
        csp_report::MAX_REPORT_BYTES
    } else if path == settings_backup::RESTORE_PATH {
        settings_backup::MOST_RESTORE_BYTES
    } else {
        MOST_BYTES
    }
}

pub async fn bound(request: Request<Body>, next: Next) -> Response {
    let most = most_bytes(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > most as u64) {
        return too_large(most);
    }
    // A GET has no body to read: the status poll passes at no cost.
    if request.body().size_hint().exact() == Some(0) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, most).collect()).await;
    match read {
        Ok(Ok(collected)) => {
            next.run(Request::from_parts(parts, Body::from(collected.to_bytes())))
                .await
        }
        Ok(Err(error)) if error.is::<LengthLimitError>() => too_large(most),
        Ok(Err(_)) => (
            StatusCode::BAD_REQUEST,
            "The request's body could not be read.",
        )
            .into_response(),
        Err(_) => (
            StatusCode::REQUEST_TIMEOUT,
            "The request's body did not come in time.",
        )
            .into_response(),
    }
}

fn too_large(most: usize) -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("Refused: a request to this address may send at most {most} bytes."),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::post;
    use axum::Router;
    use futures_util::stream;
    use tower::ServiceExt;

    fn router() -> Router {
        Router::new()
            .route(
                "/echo",
                post(|body: String| async move { body.len().to_string() }),
            )
            .layer(axum::middleware::from_fn(bound))
    }

    async fn post_body(body: Body) -> (StatusCode, String) {
        let request = Request::post("/echo").body(body).unwrap();
        let response = router().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    fn chunked(chunks: usize, size: usize) -> Body {
        let chunk = axum::body::Bytes::from(vec![b'x'; size]);
        Body::from_stream(stream::iter(
            (0..chunks).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
        ))
    }

    #[tokio::test]
    async fn a_small_body_passes_whole() {
        assert_eq!(
            post_body(chunked(4, 1000)).await,
            (StatusCode::OK, "4000".into())
        );
    }

    #[tokio::test]
    async fn a_streamed_body_past_the_limit_is_413() {
        let (status, _) = post_body(chunked(1000, 1024)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[tokio::test]
    async fn a_declared_length_past_the_limit_is_413_before_reading() {
        let request = Request::post("/echo")
            .header(header::CONTENT_LENGTH, "1000000")
            .body(Body::empty())
            .unwrap();
        let response = router().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_that_never_ends_is_408() {
        let never =
            Body::from_stream(stream::pending::<Result<axum::body::Bytes, std::io::Error>>());
        let (status, _) = post_body(never).await;
        assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    }
}
