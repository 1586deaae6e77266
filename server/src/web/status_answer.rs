//! `GET /api/status`, answered from the box's shared look ([`StatusFeed::recent`]): the JSON
//! and its `ETag` are made once per look, so a poll costs the box a session check and a copy
//! of a reference, not a serialisation and a hash. Browsers keep the answer and ask with
//! `If-None-Match`; the box answers `304 Not Modified`, headers only, when the status is the
//! same. The page polls every 10 s; most polls find the same state. If no look comes in time,
//! the poll looks by itself, once. The server function at the same path is the page's way to
//! ask, and gives the same JSON.

use super::metrics::Route;
use super::status_feed::{look_alone, StatusFeed};
use app::api::status::GetStatus;
use app::api::RequestAccess;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use iotbox_core::blocking::off_the_runtime;
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
    let look = answers.feed.recent().await;
    let (json, tag) = match look {
        Some(look) => look.answer(look.logged_in(&answers.iot_box, session(&request))),
        None => {
            let iot_box = answers.iot_box.clone();
            let session = session(&request).map(str::to_string);
            match off_the_runtime(move || look_alone(&iot_box, session.as_deref())).await {
                Ok(answer) => answer,
                Err(failed) => return super::work_failed::as_response(failed),
            }
        }
    };
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

/// The session the access guard read from the request.
fn session(request: &Request<Body>) -> Option<&str> {
    request
        .extensions()
        .get::<RequestAccess>()
        .and_then(|access| access.session.as_deref())
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
