//! Answers compressed as they go out (brotli at level 4, or gzip: cheap on the box's CPU), for
//! the browsers that ask for it; the page's files were compressed once, at build time, and go
//! out as they are. The compressing body is large (5.8 KiB, the brotli encoder's state), and
//! every answer that passed the compression layer kept one for as long as it was sent, even
//! one that went out as it was. So an answer that cannot be compressed does not pass it: a
//! request that asks for no encoding, and the status stream (events are never compressed),
//! which would hold one for as long as a page is open.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::response::Response;
use futures_util::future::{Either, MapOk};
use futures_util::TryFutureExt;
use std::convert::Infallible;
use std::task::{Context, Poll};
use tower::{Layer, Service};
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::{Compression, CompressionBody, CompressionLayer};

#[derive(Clone, Default)]
pub struct CompressWhereAsked;

impl<S: Clone> Layer<S> for CompressWhereAsked {
    type Service = CompressedWhereAsked<S>;

    fn layer(&self, inner: S) -> Self::Service {
        CompressedWhereAsked {
            compressed: CompressionLayer::new().layer(inner.clone()),
            plain: inner,
        }
    }
}

#[derive(Clone)]
pub struct CompressedWhereAsked<S> {
    compressed: Compression<S>,
    plain: S,
}

type Compressed = Response<CompressionBody<Body>>;

impl<S> Service<Request<Body>> for CompressedWhereAsked<S>
where
    S: Service<Request<Body>, Response = Response, Error = Infallible> + Clone,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<
        MapOk<<Compression<S> as Service<Request<Body>>>::Future, fn(Compressed) -> Response>,
        MapOk<S::Future, fn(Response) -> Response>,
    >;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // The same service under both, and always ready (axum's middleware and router).
        self.plain.poll_ready(context)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        if may_be_compressed(&request) {
            let boxed: fn(Compressed) -> Response = |response| {
                let mut response = response.map(Body::new);
                // Compressed here, or a file compressed at build time: the layer marks only
                // what it compressed itself.
                if response.headers().contains_key(header::CONTENT_ENCODING) {
                    say_it_varies(&mut response);
                }
                response
            };
            Either::Left(self.compressed.call(request).map_ok(boxed))
        } else {
            let marked: fn(Response) -> Response = vary_as_compressed;
            Either::Right(self.plain.call(request).map_ok(marked))
        }
    }
}

fn may_be_compressed(request: &Request<Body>) -> bool {
    request.headers().contains_key(header::ACCEPT_ENCODING)
        && request.uri().path() != super::status_stream::PATH
}

/// What the compression layer says of an answer it could compress: that another request may
/// get it compressed, so that a cache never gives one to the other.
fn vary_as_compressed(mut response: Response) -> Response {
    let compressible = !response.headers().contains_key(header::CONTENT_ENCODING)
        && !response.headers().contains_key(header::CONTENT_RANGE)
        && DefaultPredicate::new().should_compress(&response);
    if compressible {
        say_it_varies(&mut response);
    }
    response
}

/// `Vary: accept-encoding`, unless the answer says so already.
fn say_it_varies(response: &mut Response) {
    let said = response
        .headers()
        .get_all(header::VARY)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|name| name.trim().eq_ignore_ascii_case("accept-encoding"));
    if !said {
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use axum::Router;
    use tower::{ServiceBuilder, ServiceExt};

    async fn answer(path: &str, encoding: Option<&str>) -> Response {
        let text = || async { "the box's page ".repeat(64) };
        let events = || async { ([(header::CONTENT_TYPE, "text/event-stream")], "data: 1\n\n") };
        // As the page's files are served: compressed at build time.
        let file = || async {
            let headers = [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CONTENT_ENCODING, "br"),
            ];
            (headers, vec![0u8; 128])
        };
        let routed = Router::new()
            .route("/", get(text))
            .route(crate::web::status_stream::PATH, get(events))
            .route("/favicon.svg", get(file));
        let service = ServiceBuilder::new()
            .layer(CompressWhereAsked)
            .service(routed);
        let mut request = Request::get(path);
        if let Some(encoding) = encoding {
            request = request.header(header::ACCEPT_ENCODING, encoding);
        }
        service
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    fn header_of(response: &Response, name: header::HeaderName) -> Option<&str> {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
    }

    #[tokio::test]
    async fn compressed_for_who_asks_and_said_to_vary_for_who_does_not() {
        for asked in ["br", "gzip"] {
            let compressed = answer("/", Some(asked)).await;
            assert_eq!(
                header_of(&compressed, header::CONTENT_ENCODING),
                Some(asked)
            );
            assert_eq!(
                header_of(&compressed, header::VARY),
                Some("accept-encoding")
            );
        }
        let plain = answer("/", None).await;
        assert_eq!(header_of(&plain, header::CONTENT_ENCODING), None);
        // A cache must not give this answer to a browser that asks for brotli, nor the reverse.
        assert_eq!(header_of(&plain, header::VARY), Some("accept-encoding"));
    }

    #[tokio::test]
    async fn a_file_compressed_at_build_time_says_it_varies_too() {
        let file = answer("/favicon.svg", Some("br")).await;
        assert_eq!(header_of(&file, header::CONTENT_ENCODING), Some("br"));
        assert_eq!(header_of(&file, header::VARY), Some("accept-encoding"));
    }

    #[test]
    fn only_a_request_that_asks_for_an_encoding_passes_the_layer_and_never_the_stream() {
        let request = |path: &str, encoding: Option<&str>| {
            let mut request = Request::get(path);
            if let Some(encoding) = encoding {
                request = request.header(header::ACCEPT_ENCODING, encoding);
            }
            request.body(Body::empty()).unwrap()
        };
        assert!(may_be_compressed(&request("/", Some("br, gzip"))));
        assert!(may_be_compressed(&request("/api/status", Some("gzip"))));
        assert!(!may_be_compressed(&request("/", None)));
        let stream = crate::web::status_stream::PATH;
        assert!(!may_be_compressed(&request(stream, Some("br, gzip"))));
    }

    #[tokio::test]
    async fn the_status_stream_goes_out_as_it_is() {
        for asked in [Some("br"), None] {
            let stream = answer(crate::web::status_stream::PATH, asked).await;
            assert_eq!(header_of(&stream, header::CONTENT_ENCODING), None);
            assert_eq!(header_of(&stream, header::VARY), None);
        }
    }
}
