//! The web layer: the listeners (plain HTTP, reachable by IP address, and HTTPS with the
//! box's certificate), the router with its request guards in one layer (`admission`), what
//! every answer gets on its way out in another (`outgoing`), compression where it can apply
//! (`compression`), the log download, the support report, the HTTPS address check from the
//! browser (`https_check`), what browsers keep (`caching`), the status poll answered from a
//! shared look (`status_answer`), the live status pushed to open pages (`status_stream`),
//! page renders a few at a time (`page_renders`) and given again while the box is the same
//! (`page_cache`), the figures for fleets (`metrics`), and the page's server functions, which
//! reach the box through [`page_api::PageApi`].

pub mod access_guard;
pub mod admission;
pub mod attachment;
pub mod box_names;
pub mod caching;
pub mod compression;
pub mod csp_report;
pub mod https_check;
pub mod log_download;
pub mod metrics;
pub mod outgoing;
pub mod page_api;
pub mod page_cache;
pub mod page_renders;
pub mod refusal;
pub mod request_body;
pub mod request_guards;
pub mod security_headers;
pub mod settings_backup;
pub mod status_answer;
pub mod status_feed;
pub mod status_stream;
pub mod support_report;
pub mod work_failed;

use app::api::BoxApi;
use app::{shell, App};
use axum::Router;
use iotbox_core::iot_box::IotBox;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceBuilder;

/// Both listeners, bound before anything is served: a port 0 becomes the port the system
/// gave, which the box then uses in its HTTPS address.
pub struct Listeners {
    http: tokio::net::TcpListener,
    https: tokio::net::TcpListener,
    pub http_addr: SocketAddr,
    pub https_addr: SocketAddr,
}

impl Listeners {
    /// Fails with the address that could not be bound.
    pub async fn bind(
        http: SocketAddr,
        https: SocketAddr,
    ) -> Result<Self, (SocketAddr, io::Error)> {
        let bind = |addr: SocketAddr| async move {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|error| (addr, error))?;
            let bound = listener.local_addr().map_err(|error| (addr, error))?;
            Ok::<_, (SocketAddr, io::Error)>((listener, bound))
        };
        let (http, http_addr) = bind(http).await?;
        let (https, https_addr) = bind(https).await?;
        Ok(Self {
            http,
            https,
            http_addr,
            https_addr,
        })
    }

    /// Serves `router` on both until SIGTERM or Ctrl-C, with at most `caps` connections.
    pub async fn serve(
        self,
        tls: rustls::ServerConfig,
        router: Router,
        caps: crate::connections::slots::Caps,
    ) {
        let served = crate::connections::Served {
            http: Some(self.http),
            https: Some((self.https, tls)),
            router,
            caps,
        };
        crate::connections::serve(served, iotbox_core::shutdown::signal()).await
    }
}

/// `hashed`: the build's hashed file names, read once at start.
pub fn router(
    leptos_options: LeptosOptions,
    hashed: caching::HashedFiles,
    iot_box: Arc<IotBox>,
) -> Router {
    let routes = generate_route_list(App);
    let downloads = log_download::Downloads::default();
    let logs = axum::routing::get({
        let (iot_box, downloads) = (iot_box.clone(), downloads.clone());
        move || log_download::download_logs(iot_box.clone(), downloads.clone())
    });
    let support_report = axum::routing::get({
        let iot_box = iot_box.clone();
        move || support_report::download(iot_box.clone(), downloads.clone())
    });
    let feed = status_feed::StatusFeed::start(iot_box.clone());
    let page_api: Arc<dyn BoxApi> = Arc::new(page_api::PageApi {
        iot_box: iot_box.clone(),
        feed: feed.clone(),
    });
    // Read once here rather than by Leptos at every render.
    let page_files = hashed.page_files();
    let context = move || {
        provide_context(page_api.clone());
        if let Some(files) = page_files.clone() {
            provide_context(files);
        }
    };
    let routed = Router::new()
        .route("/api/logs", logs)
        .route(support_report::PATH, support_report)
        .route(
            settings_backup::BACKUP_PATH,
            axum::routing::post(settings_backup::backup).with_state(iot_box.clone()),
        )
        .route(
            settings_backup::RESTORE_PATH,
            axum::routing::post(settings_backup::restore).with_state(iot_box.clone()),
        )
        .route(
            status_stream::PATH,
            axum::routing::get(status_stream::answer)
                .with_state(status_stream::Streams::new(iot_box.clone(), feed.clone())),
        )
        .route(
            metrics::PATH,
            axum::routing::get(metrics::answer).with_state(iot_box.clone()),
        )
        .route(
            https_check::PATH,
            axum::routing::get(https_check::answer).with_state(iot_box.clone()),
        )
        .route(
            app::content_security_policy::REPORT_PATH,
            axum::routing::post(csp_report::receive),
        )
        .route_service(
            &leptos_axum::site_pkg_dir_service_route_path(&leptos_options),
            leptos_axum::site_pkg_dir_service(&leptos_options),
        )
        .leptos_routes_with_context(&leptos_options, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        // Every route above notes itself on its answer, for the count of web answers.
        .route_layer(axum::middleware::from_fn(metrics::note_route))
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .with_state(leptos_options);
    // In request order: traced; compressed on the way out; counted, marked for caches and
    // given the security headers on the way out; then refused for another host name, a body
    // too large or too slow, a change from another site, a change without login; a status
    // poll answered from the shared look; a change noted once answered, so that the status
    // after it is looked at afresh; the homepage given again if rendered from the same look
    // for the same request, else its render takes its turn. Around the router as a whole,
    // not each of its routes (`Router::layer`), and as few layers as the concerns allow:
    // each layer clones what it wraps for every request, and a route holds the Leptos
    // options, a dozen strings, by value.
    let answers = ServiceBuilder::new()
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(compression::CompressWhereAsked)
        .layer(axum::middleware::from_fn_with_state(
            outgoing::Outgoing {
                iot_box: iot_box.clone(),
                hashed,
            },
            outgoing::finish,
        ))
        .layer(axum::middleware::from_fn_with_state(
            iot_box.clone(),
            admission::admit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            status_answer::StatusAnswers {
                iot_box: iot_box.clone(),
                feed: feed.clone(),
            },
            status_answer::answer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            feed.clone(),
            status_feed::note_changes,
        ))
        .layer(axum::middleware::from_fn_with_state(
            page_cache::PageCache::new(iot_box.clone(), feed),
            page_cache::answer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            page_renders::turns(),
            page_renders::take_turns,
        ))
        .service(routed);
    Router::new().fallback_service(answers)
}

#[cfg(test)]
mod tests {
    use iotbox_core::logs::levels::targets;
    use model::log_level::Component;

    #[test]
    fn its_log_level_covers_this_module() {
        let this_module = module_path!().strip_suffix("::tests").unwrap();
        assert!(targets(Component::Web).contains(&this_module));
    }
}
