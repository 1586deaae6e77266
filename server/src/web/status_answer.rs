//! `GET /api/status`, answered from the box's shared look ([`StatusFeed::recent`]): the JSON
//! and its `ETag` are made once per look, so a poll costs the box a session check and a copy
//! of a reference, not a serialisation and a hash. Browsers keep the answer and ask with
//! `If-None-Match`; the box answers `304 Not Modified`, headers only, when the status is the
//! same. The page polls every 10 s; most polls find the same state. The server function at
//! the same path answers only if no look came in time, and its answer is the same JSON.

use super::metrics::Route;
use super::status_feed::StatusFeed;
use app::api::status::GetStatus;
use app::api::RequestAccess;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use iotbox_core::iot_box::IotBox;
use leptos::server_fn::ServerFn;
use std::sync::Arc;

pub const PATH: &str = <GetStatus as ServerFn>::PATH;

#[derive(Clone)]
pub struct StatusAnswers {
    pub iot_box: Arc<IotBox>,
    pub feed: Arc<StatusFeed>,
}

/// Inside the access guard, which says who asks.
pub async fn answer(
    State(answers): State<StatusAnswers>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if request.method() != Method::GET || request.uri().path() != PATH {
        return next.run(request).await;
    }
    let Some(look) = answers.feed.recent().await else {
        return next.run(request).await;
    };
    let session = request
        .extensions()
        .get::<RequestAccess>()
        .and_then(|access| access.session.as_deref());
    let logged_in = look.logged_in(&answers.iot_box, session);
    let (json, tag) = look.answer(logged_in);
    let unchanged = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|asked| matches(asked, &tag));
    let mut response = if unchanged {
        (StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response()
    } else {
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (header::ETAG, tag),
            ],
            json,
        )
            .into_response()
    };
    response.extensions_mut().insert(Route::Named(PATH));
    response
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_matches_itself_weak_or_strong_and_among_others() {
        let tag = HeaderValue::from_static("W/\"00000000000000a1\"");
        let text = tag.to_str().unwrap().to_string();
        assert!(matches(&tag, &tag));
        let strong = HeaderValue::from_str(text.trim_start_matches("W/")).unwrap();
        assert!(matches(&strong, &tag));
        let list = HeaderValue::from_str(&format!("\"other\", {text}")).unwrap();
        assert!(matches(&list, &tag));
        assert!(matches(&HeaderValue::from_static("*"), &tag));
        assert!(!matches(&HeaderValue::from_static("W/\"other\""), &tag));
        let changed = HeaderValue::from_static("W/\"00000000000000a2\"");
        assert!(!matches(&changed, &tag));
    }
}
