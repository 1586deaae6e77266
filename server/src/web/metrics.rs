//! `GET /metrics`: the box's figures for a fleet's Prometheus (`iotbox_core::metrics`). Open while
//! the box has no admin password, like the status; with one, a scrape needs the token set
//! with `--metrics-token` (`Authorization: Bearer <token>`), or a logged-in session. And the
//! count of every web answer, by route and status.

use app::api::RequestAccess;
use axum::body::Body;
use axum::extract::{MatchedPath, State};
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use iotbox_core::blocking::off_the_runtime;
use iotbox_core::iot_box::IotBox;
use iotbox_core::metrics::CONTENT_TYPE;
use std::sync::Arc;

pub const PATH: &str = "/metrics";

pub async fn answer(
    State(iot_box): State<Arc<IotBox>>,
    access: Option<Extension<RequestAccess>>,
    headers: HeaderMap,
) -> Response {
    let token = bearer_token(&headers);
    let session = access.and_then(|Extension(access)| access.session);
    // Reads the settings file (the password, the status): off the async runtime.
    let scrape = off_the_runtime(move || {
        iot_box
            .may_scrape(token.as_deref(), session.as_deref())
            .then(|| {
                iot_box.metrics().encode(
                    &iot_box.status(session.as_deref()),
                    iot_box.certificate().checks(),
                )
            })
    })
    .await;
    let scrape = match scrape {
        Ok(scrape) => scrape,
        Err(failed) => return super::work_failed::as_response(failed),
    };
    match scrape {
        Some(text) => ([(header::CONTENT_TYPE, CONTENT_TYPE)], text).into_response(),
        None => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "This box has an admin password: scrape it with its metrics token \
             (--metrics-token), or log in.",
        )
            .into_response(),
    }
}

fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// The route a request was routed by, kept on its answer for [`count`]; or, for an answer
/// given before routing, the route it stands for.
#[derive(Clone)]
pub enum Route {
    Matched(MatchedPath),
    Named(&'static str),
}

impl Route {
    fn as_str(&self) -> &str {
        match self {
            Route::Matched(route) => route.as_str(),
            Route::Named(route) => route,
        }
    }
}

/// Inside the router, on each route: notes which route answered.
pub async fn note_route(request: Request<Body>, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(Route::Matched(route));
    }
    response
}

/// One more answer of its route (or `other`: files and pages not found) and status.
pub fn count(iot_box: &IotBox, response: &Response) {
    let route = response
        .extensions()
        .get::<Route>()
        .map_or("other", Route::as_str);
    iot_box
        .metrics()
        .web_request(route, response.status().as_u16());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_token_of_a_bearer_authorization_only() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, value.parse().unwrap());
            bearer_token(&headers)
        };
        assert_eq!(with("Bearer s3cret").as_deref(), Some("s3cret"));
        assert_eq!(with("bearer s3cret").as_deref(), Some("s3cret"));
        assert_eq!(with("Basic czNjcmV0"), None);
        assert_eq!(bearer_token(&HeaderMap::new()), None);
    }
}
