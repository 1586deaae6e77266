//! The homepage, rendered once for many loads. A render reads the box's shared look
//! ([`StatusFeed::recent`]) and the request (its cookies: session, language, preferences; its
//! query; `Accept-Language`), and a few things besides (the diagnostics' last results, the
//! clock). So a rendered page is kept, split at its Content-Security-Policy nonce, and given
//! again with a fresh nonce to the same request, as nginx's "microcaching" does, while:
//! - the box is as it was: every look since shows the same status, and no change was asked
//!   of the box (a form's change is always in the page loaded after it);
//! - for at most [`KEPT_FOR`]: what the look does not hold shows at most that late.
//!
//! The request is matched whole (path, query, listener, whether its session is open, and
//! every header but those that cannot change the page), so a page is given again only to the
//! browser, session and language it was rendered for. Loads that find a render under way for
//! the same request wait for it rather than render too: a flood of page loads costs a render
//! a second.

use super::metrics::Route;
use super::request_guards::OverHttps;
use super::status_feed::{Look, StatusFeed};
use app::api::RequestAccess;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use iotbox_core::iot_box::IotBox;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

/// The page kept: the homepage only.
const PATH: &str = "/";
/// How long a rendered page is given again, at most.
const KEPT_FOR: Duration = Duration::from_secs(1);
/// Pages kept at once, at most: one per kind of visitor.
const MOST_KEPT: usize = 8;
/// A homepage is tens of KiB; anything bigger is not kept.
const MOST_BYTES: usize = 1 << 20;
/// Headers that change nothing in the page: how it travels, and what the browser says of
/// itself. Every other header makes a request another one.
const IGNORED: [&str; 10] = [
    "accept-encoding",
    "cache-control",
    "connection",
    "if-modified-since",
    "if-none-match",
    "pragma",
    "priority",
    "referer",
    "upgrade-insecure-requests",
    "user-agent",
];
const IGNORED_PREFIXES: [&str; 2] = ["sec-fetch-", "sec-ch-"];

#[derive(Clone)]
pub struct PageCache {
    iot_box: Arc<IotBox>,
    feed: Arc<StatusFeed>,
    kept: Arc<Mutex<Kept<Arc<Look>>>>,
}

impl PageCache {
    pub fn new(iot_box: Arc<IotBox>, feed: Arc<StatusFeed>) -> Self {
        Self {
            iot_box,
            feed,
            kept: Arc::default(),
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept<Arc<Look>>> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Where a page rendered for one request goes: empty while its render is under way; `None`
/// once it rendered, if its answer was not one to give again.
type Place = Arc<OnceCell<Option<Arc<Page>>>>;

/// What the box looked like to the renders of the pages kept (`L`: a look).
trait BoxState {
    fn same_state(&self, other: &Self) -> bool;
}

impl BoxState for Arc<Look> {
    fn same_state(&self, other: &Self) -> bool {
        Look::same_state(self, other)
    }
}

/// The pages rendered while the box was in one state.
struct Kept<L> {
    /// The look the first of them was rendered from, and when.
    from: Option<(L, Instant)>,
    pages: Vec<(Vec<u8>, Place)>,
}

impl<L> Default for Kept<L> {
    fn default() -> Self {
        Self {
            from: None,
            pages: Vec::new(),
        }
    }
}

impl<L: BoxState + Clone> Kept<L> {
    /// The place of the page for `request` seen in `look` at `now`: all are dropped when the
    /// box is no longer as they saw it, or they are older than [`KEPT_FOR`]; the oldest past
    /// [`MOST_KEPT`].
    fn place(&mut self, look: &L, request: &[u8], now: Instant) -> Place {
        let still_good = self.from.as_ref().is_some_and(|(from, since)| {
            from.same_state(look) && now.saturating_duration_since(*since) <= KEPT_FOR
        });
        if !still_good {
            self.pages.clear();
            self.from = Some((look.clone(), now));
        }
        if let Some((_, place)) = self.pages.iter().find(|(key, _)| key == request) {
            return place.clone();
        }
        if self.pages.len() >= MOST_KEPT {
            self.pages.remove(0);
        }
        let place = Place::default();
        self.pages.push((request.to_vec(), place.clone()));
        place
    }

    /// A render that gave nothing to keep: the next load of that request renders again.
    fn forget(&mut self, place: &Place) {
        self.pages.retain(|(_, kept)| !Arc::ptr_eq(kept, place));
    }
}

/// A rendered page, split where its nonce was.
struct Page {
    headers: HeaderMap,
    policy: Vec<String>,
    body: Vec<String>,
}

impl Page {
    /// `None` if the answer is not one to give again: not a plain `200` page, one that sets
    /// a cookie, or one without a nonce to replace.
    fn of(headers: &HeaderMap, body: &[u8]) -> Option<Self> {
        let is_html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/html"));
        if !is_html || headers.contains_key(header::SET_COOKIE) {
            return None;
        }
        let policy = headers
            .get(header::CONTENT_SECURITY_POLICY)?
            .to_str()
            .ok()?;
        let nonce = nonce_in(policy)?;
        let body = std::str::from_utf8(body).ok()?;
        let mut headers = headers.clone();
        headers.remove(header::CONTENT_SECURITY_POLICY);
        headers.remove(header::CONTENT_LENGTH);
        Some(Self {
            headers,
            policy: policy.split(nonce).map(str::to_string).collect(),
            body: body.split(nonce).map(str::to_string).collect(),
        })
    }

    fn answer(&self, nonce: &str) -> Response {
        let mut response = Response::new(Body::from(self.body.join(nonce)));
        *response.headers_mut() = self.headers.clone();
        if let Ok(policy) = HeaderValue::from_str(&self.policy.join(nonce)) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        response
    }
}

/// The nonce a policy allows scripts by (`'nonce-<value>'`).
fn nonce_in(policy: &str) -> Option<&str> {
    let (_, after) = policy.split_once("'nonce-")?;
    let (nonce, _) = after.split_once('\'')?;
    (nonce.len() >= 16).then_some(nonce)
}

/// What makes one request for the page another: its path and query, its listener, whether
/// its session is open, and every header but [`IGNORED`] ones, in their order.
fn request_key(request: &Request<Body>, logged_in: bool) -> Vec<u8> {
    let mut key = Vec::with_capacity(512);
    let uri = request.uri();
    key.extend_from_slice(
        uri.path_and_query()
            .map_or(uri.path(), |p| p.as_str())
            .as_bytes(),
    );
    let over_https = request.extensions().get::<OverHttps>().is_some();
    key.extend_from_slice(if over_https { b"\nhttps" } else { b"\nhttp" });
    key.extend_from_slice(if logged_in { b"\nin" } else { b"\nout" });
    for (name, value) in request.headers() {
        let name = name.as_str();
        if IGNORED.contains(&name) || IGNORED_PREFIXES.iter().any(|p| name.starts_with(p)) {
            continue;
        }
        key.push(b'\n');
        key.extend_from_slice(name.as_bytes());
        key.push(b':');
        key.extend_from_slice(value.as_bytes());
    }
    key
}

/// Inside the access guard (which says who asks), outside the render's turns: a page given
/// again takes no turn.
pub async fn answer(
    State(cache): State<PageCache>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if request.method() != Method::GET || request.uri().path() != PATH {
        return next.run(request).await;
    }
    let Some(look) = cache.feed.recent().await else {
        return next.run(request).await;
    };
    let session = request
        .extensions()
        .get::<RequestAccess>()
        .and_then(|access| access.session.as_deref());
    let logged_in = look.logged_in(&cache.iot_box, session);
    let key = request_key(&request, logged_in);
    let place = cache.kept().place(&look, &key, Instant::now());
    // The first load to find the place empty renders; the others wait for its page.
    let mut unanswered = Some((request, next));
    let mut rendered = None;
    let page = place
        .get_or_init(|| async {
            let (request, next) = unanswered.take().expect("the render runs once");
            let (response, page) = render(&cache, &look, request, next).await;
            rendered = Some(response);
            page
        })
        .await
        .clone();
    if let Some(response) = rendered {
        if page.is_none() {
            cache.kept().forget(&place);
        }
        return response;
    }
    match (page, unanswered) {
        (Some(page), _) => {
            // What the render would have done: a visit retries a failed certificate request.
            cache.iot_box.page_visited();
            let mut response = page.answer(&leptos::nonce::Nonce::new());
            response.extensions_mut().insert(Route::Named(PATH));
            response
        }
        (None, Some((request, next))) => next.run(request).await,
        (None, None) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Renders the page, and what of it may be given again.
async fn render(
    cache: &PageCache,
    look: &Arc<Look>,
    request: Request<Body>,
    next: Next,
) -> (Response, Option<Arc<Page>>) {
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return (response, None);
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MOST_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR.into_response(), None);
    };
    // Kept only if no newer look came during the render: then it took this very look (a
    // newer one, even showing the same status, may have come after a different one).
    let from_this_look = cache
        .feed
        .last()
        .is_some_and(|last| Arc::ptr_eq(&last, look));
    let page = from_this_look
        .then(|| Page::of(&parts.headers, &body))
        .flatten()
        .map(Arc::new);
    (Response::from_parts(parts, Body::from(body)), page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_with(nonce: &str) -> (HeaderMap, String) {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        let policy = format!("script-src 'self' 'nonce-{nonce}'; style-src 'self'");
        headers.insert(header::CONTENT_SECURITY_POLICY, policy.parse().unwrap());
        let body = format!(
            "<script nonce=\"{nonce}\">a</script><p>x</p><script nonce=\"{nonce}\">b</script>"
        );
        (headers, body)
    }

    #[test]
    fn a_page_given_again_carries_a_new_nonce_everywhere_the_old_one_was() {
        let old = "AAAAAAAAAAAAAAAAAAAAAA";
        let (headers, body) = page_with(old);
        let page = Page::of(&headers, body.as_bytes()).unwrap();
        let new = "BBBBBBBBBBBBBBBBBBBBBB";
        let again = page.answer(new);
        let (expected_headers, expected_body) = page_with(new);
        assert_eq!(
            again.headers()[header::CONTENT_SECURITY_POLICY],
            expected_headers[header::CONTENT_SECURITY_POLICY]
        );
        assert_eq!(
            again.headers()[header::CONTENT_TYPE],
            expected_headers[header::CONTENT_TYPE]
        );
        let body = futures_util::FutureExt::now_or_never(axum::body::to_bytes(
            again.into_body(),
            MOST_BYTES,
        ))
        .unwrap()
        .unwrap();
        assert_eq!(body, expected_body.as_bytes());
    }

    #[test]
    fn a_page_that_sets_a_cookie_or_has_no_nonce_or_is_not_html_is_not_kept() {
        let (headers, body) = page_with("AAAAAAAAAAAAAAAAAAAAAA");
        let mut cookie = headers.clone();
        cookie.insert(header::SET_COOKIE, HeaderValue::from_static("a=1"));
        assert!(Page::of(&cookie, body.as_bytes()).is_none());
        let mut no_policy = headers.clone();
        no_policy.remove(header::CONTENT_SECURITY_POLICY);
        assert!(Page::of(&no_policy, body.as_bytes()).is_none());
        let mut json = headers.clone();
        json.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        assert!(Page::of(&json, body.as_bytes()).is_none());
    }

    #[test]
    fn requests_differ_by_query_listener_cookie_and_language_but_not_by_how_they_travel() {
        let get = |uri: &str, headers: &[(&str, &str)]| {
            let mut request = Request::get(uri);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            request.body(Body::empty()).unwrap()
        };
        let plain = request_key(&get("/", &[("cookie", "iotbox_session=a")]), false);
        assert_eq!(
            plain,
            request_key(
                &get(
                    "/",
                    &[
                        ("user-agent", "x"),
                        ("cookie", "iotbox_session=a"),
                        ("accept-encoding", "br"),
                        ("sec-fetch-mode", "navigate"),
                    ]
                ),
                false
            )
        );
        for other in [
            get("/?advanced", &[("cookie", "iotbox_session=a")]),
            get("/", &[("cookie", "iotbox_session=b")]),
            get(
                "/",
                &[("cookie", "iotbox_session=a"), ("accept-language", "it")],
            ),
        ] {
            assert_ne!(plain, request_key(&other, false));
        }
        let mut over_https = get("/", &[("cookie", "iotbox_session=a")]);
        over_https.extensions_mut().insert(OverHttps);
        assert_ne!(plain, request_key(&over_https, false));
        let logged_in = get("/", &[("cookie", "iotbox_session=a")]);
        assert_ne!(plain, request_key(&logged_in, true));
    }

    /// A look seeing the box in a state numbered so.
    #[derive(Clone)]
    struct Seen(u32);

    impl BoxState for Seen {
        fn same_state(&self, other: &Self) -> bool {
            self.0 == other.0
        }
    }

    #[test]
    fn a_page_is_kept_while_the_box_is_the_same_and_for_at_most_its_time() {
        let mut kept = Kept::default();
        let start = Instant::now();
        let first = kept.place(&Seen(1), b"a", start);
        // Another look, in the same state, a moment later: the same place.
        let later = start + KEPT_FOR / 2;
        assert!(Arc::ptr_eq(&first, &kept.place(&Seen(1), b"a", later)));
        // Another request: a place of its own.
        let other = kept.place(&Seen(1), b"b", later);
        assert!(!Arc::ptr_eq(&first, &other));
        // The box changed: every page goes.
        let changed = kept.place(&Seen(2), b"a", later);
        assert!(!Arc::ptr_eq(&first, &changed));
        assert_eq!(kept.pages.len(), 1);
        // Too old, counted from the first render of that state.
        let at_most = later + KEPT_FOR;
        assert!(Arc::ptr_eq(&changed, &kept.place(&Seen(2), b"a", at_most)));
        let too_old = at_most + Duration::from_millis(1);
        assert!(!Arc::ptr_eq(&changed, &kept.place(&Seen(2), b"a", too_old)));
    }

    #[test]
    fn keeps_the_newest_pages_and_forgets_one_that_gave_nothing() {
        let mut kept = Kept::default();
        let now = Instant::now();
        let oldest = kept.place(&Seen(1), b"0", now);
        for request in 1..MOST_KEPT {
            kept.place(&Seen(1), request.to_string().as_bytes(), now);
        }
        assert!(Arc::ptr_eq(&oldest, &kept.place(&Seen(1), b"0", now)));
        kept.place(&Seen(1), b"one more", now);
        assert_eq!(kept.pages.len(), MOST_KEPT);
        assert!(!Arc::ptr_eq(&oldest, &kept.place(&Seen(1), b"0", now)));
        let place = kept.place(&Seen(1), b"0", now);
        kept.forget(&place);
        assert!(!Arc::ptr_eq(&place, &kept.place(&Seen(1), b"0", now)));
    }

    #[test]
    fn finds_the_nonce_of_a_policy() {
        assert_eq!(
            nonce_in("script-src 'self' 'nonce-AbCdEfGhIjKlMnOpQrStUv' 'wasm-unsafe-eval'"),
            Some("AbCdEfGhIjKlMnOpQrStUv")
        );
        assert_eq!(nonce_in("script-src 'self'"), None);
    }
}
