//! Request bodies, bounded before anything reads them: at most [`MOST_BYTES`] (a form of the
//! page is well under 1 KiB), more only for a route that needs it, and whole within
//! [`BODY_TIMEOUT`]. Past the size the answer is `413`, past the time `408`, whether the
//! client declared its length or streams it in chunks: the server functions read whole
//! bodies, and must never be the ones to find out.

use super::refusal::Refusal;
use super::{csp_report, settings_backup};
use axum::body::Body;
use axum::body::HttpBody;
use axum::http::{header, Request};
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

/// The request with its body read whole within the bounds, or the refusal.
pub async fn bound(request: Request<Body>) -> Result<Request<Body>, Refusal> {
    let most = most_bytes(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > most as u64) {
        return Err(Refusal::BodyTooLarge(most));
    }
    // A GET has no body to read: the status poll passes at no cost.
    if request.body().size_hint().exact() == Some(0) {
        return Ok(request);
    }
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, most).collect()).await;
    match read {
        Ok(Ok(collected)) => Ok(Request::from_parts(parts, Body::from(collected.to_bytes()))),
        Ok(Err(error)) if error.is::<LengthLimitError>() => Err(Refusal::BodyTooLarge(most)),
        Ok(Err(_)) => Err(Refusal::BodyUnreadable),
        Err(_) => Err(Refusal::BodyTooSlow),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;

    async fn post_body(body: Body) -> Result<usize, Refusal> {
        let request = Request::post("/echo").body(body).unwrap();
        let read = bound(request).await?;
        Ok(read.into_body().collect().await.unwrap().to_bytes().len())
    }

    fn chunked(chunks: usize, size: usize) -> Body {
        let chunk = axum::body::Bytes::from(vec![b'x'; size]);
        Body::from_stream(stream::iter(
            (0..chunks).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
        ))
    }

    #[tokio::test]
    async fn a_small_body_passes_whole() {
        assert_eq!(post_body(chunked(4, 1000)).await, Ok(4000));
    }

    #[tokio::test]
    async fn a_streamed_body_past_the_limit_is_refused() {
        assert_eq!(
            post_body(chunked(1000, 1024)).await,
            Err(Refusal::BodyTooLarge(MOST_BYTES))
        );
    }

    #[tokio::test]
    async fn a_declared_length_past_the_limit_is_refused_before_reading() {
        // The body is shorter than it says: only the declared length can refuse it.
        let request = Request::post("/echo")
            .header(header::CONTENT_LENGTH, "1000000")
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            bound(request).await.err(),
            Some(Refusal::BodyTooLarge(MOST_BYTES))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_that_never_ends_is_refused_in_time() {
        let never =
            Body::from_stream(stream::pending::<Result<axum::body::Bytes, std::io::Error>>());
        assert_eq!(post_body(never).await, Err(Refusal::BodyTooSlow));
    }
}
