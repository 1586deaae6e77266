//! The status poll, answered with nothing when nothing changed: `GET /api/status` carries an
//! `ETag` (a hash of its JSON), browsers keep the answer and ask with `If-None-Match`, and
//! the box answers `304 Not Modified`, headers only. The page polls every 10 s; most polls
//! find the same state.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::hash::{DefaultHasher, Hash, Hasher};

pub const PATH: &str = "/api/status";
/// A status is a few KiB; anything bigger is passed on as it is.
const MAX_BODY_BYTES: usize = 1 << 20;

pub async fn answer(request: Request<Body>, next: Next) -> Response {
    if request.method() != Method::GET || request.uri().path() != PATH {
        return next.run(request).await;
    }
    let asked = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let tag = entity_tag(&bytes);
    let unchanged = asked.as_ref().is_some_and(|asked| matches(asked, &tag));
    parts.headers.insert(header::ETAG, tag);
    if unchanged {
        parts.status = StatusCode::NOT_MODIFIED;
        strip_content_headers(&mut parts.headers);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Weak: the same JSON may go out compressed one way or another.
fn entity_tag(body: &Bytes) -> HeaderValue {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    HeaderValue::from_str(&format!("W/\"{:016x}\"", hasher.finish()))
        .unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""))
}

/// `If-None-Match` lists tags (or `*`); weak comparison, as RFC 9110 asks for it.
fn matches(asked: &HeaderValue, tag: &HeaderValue) -> bool {
    let Ok(asked) = asked.to_str() else {
        return false;
    };
    let ours = tag.to_str().unwrap_or_default().trim_start_matches("W/");
    asked
        .split(',')
        .map(|one| one.trim().trim_start_matches("W/"))
        .any(|one| one == "*" || one == ours)
}

fn strip_content_headers(headers: &mut HeaderMap) {
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::CONTENT_TYPE);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_matches_itself_weak_or_strong_and_among_others() {
        let tag = entity_tag(&Bytes::from_static(b"{\"a\":1}"));
        let text = tag.to_str().unwrap().to_string();
        assert!(text.starts_with("W/\""));
        assert!(matches(&tag, &tag));
        let strong = HeaderValue::from_str(text.trim_start_matches("W/")).unwrap();
        assert!(matches(&strong, &tag));
        let list = HeaderValue::from_str(&format!("\"other\", {text}")).unwrap();
        assert!(matches(&list, &tag));
        assert!(matches(&HeaderValue::from_static("*"), &tag));
        assert!(!matches(&HeaderValue::from_static("W/\"other\""), &tag));
        let changed = entity_tag(&Bytes::from_static(b"{\"a\":2}"));
        assert!(!matches(&changed, &tag));
    }
}
