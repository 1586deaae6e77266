//! The `iotbox` binary: serves the box homepage over HTTP (reachable by IP address) and over
//! HTTPS with the box's certificate, and keeps that certificate current.
//! `iotbox local-ca` runs the local certificate authority instead.

mod config;
mod local_ca;
mod logging;
mod same_origin;

use app::certificate::engine::EngineConfig;
use app::certificate::load::Timeouts;
use app::iot_box::{BoxConfig, IotBox};
use app::log_file::LogFile;
use app::{shell, App};
use axum::Router;
use config::{Command, Config};
use leptos::config::{get_configuration, Env};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// Connecting to the certificate server never takes longer than this, whatever the total.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse_or_exit();
    match config.command {
        Some(Command::LocalCa(args)) => {
            logging::to_terminal();
            local_ca::run(args).await
        }
        None => run_box(config).await,
    }
}

async fn run_box(config: Config) -> ExitCode {
    let extra_roots = config
        .extra_roots()
        .unwrap_or_else(|message| config::exit_bad_configuration(&message));
    let log_file = app::iot_box::prepare_data_dir(&config.data_dir)
        .and_then(|()| LogFile::open(&config.data_dir))
        .unwrap_or_else(|error| {
            config::exit_bad_configuration(&format!(
                "cannot use the data directory {}: {error}",
                config.data_dir.display()
            ))
        });
    let (reload_log_filter, _flush_logs_at_exit) = logging::to_terminal_and_file(&log_file);
    let iot_box = IotBox::open(
        &BoxConfig {
            data_dir: config.data_dir.clone(),
            poll_interval: config.poll_interval,
            certificate: EngineConfig {
                cert_server: config.cert_server.clone(),
                extra_roots: extra_roots
                    .as_ref()
                    .map(|ca| ca.certificates.clone())
                    .unwrap_or_default(),
                timeouts: Timeouts {
                    connect: CONNECT_TIMEOUT.min(config.cert_server_timeout),
                    total: config.cert_server_timeout,
                },
                https_port: config.https_addr.port(),
            },
        },
        reload_log_filter,
    )
    .map(Arc::new)
    .unwrap_or_else(|error| config::exit_bad_configuration(&error.to_string()));

    let leptos_options = match leptos_options(&config) {
        Ok(options) => options,
        Err(message) => config::exit_bad_configuration(&message),
    };
    let tls = match iot_box.certificate().served().tls_config() {
        Ok(tls) => tls,
        Err(error) => config::exit_bad_configuration(&error.to_string()),
    };
    let http_addr = leptos_options.site_addr;
    let https_addr = config.https_addr;
    tracing::info!(
        data_dir = %config.data_dir.display(),
        site_root = %leptos_options.site_root,
        cert_server = %config.cert_server,
        cert_server_ca = ?extra_roots.as_ref().map(|ca| ca.path.display().to_string()),
        cert_server_ca_roots = extra_roots.as_ref().map_or(0, |ca| ca.certificates.len()),
        "starting"
    );

    let (http_listener, https_listener) = match (
        tokio::net::TcpListener::bind(http_addr).await,
        std::net::TcpListener::bind(https_addr).and_then(|l| l.set_nonblocking(true).map(|()| l)),
    ) {
        (Ok(http), Ok(https)) => (http, https),
        (Err(error), _) => return cannot_listen(http_addr, &error),
        (_, Err(error)) => return cannot_listen(https_addr, &error),
    };
    tokio::spawn(iot_box.certificate().clone().run());
    // RUST_LOG, for development, wins over the saved levels (the form still changes them).
    if std::env::var_os("RUST_LOG").is_none() {
        iot_box.apply_log_levels();
        tokio::spawn({
            let iot_box = iot_box.clone();
            async move {
                let mut hourly = tokio::time::interval(Duration::from_secs(3600));
                hourly.tick().await;
                loop {
                    hourly.tick().await;
                    iot_box.apply_log_levels();
                }
            }
        });
    }
    tracing::info!("homepage on http://{http_addr} and https://{https_addr}");

    let router = router(leptos_options, iot_box);
    let https_handle = axum_server::Handle::new();
    let https = match axum_server::from_tcp_rustls(
        https_listener,
        axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(tls)),
    ) {
        Ok(server) => server
            .handle(https_handle.clone())
            .serve(router.clone().into_make_service()),
        Err(error) => return cannot_listen(https_addr, &error),
    };
    let http = axum::serve(http_listener, router).with_graceful_shutdown(async move {
        shutdown_signal().await;
        https_handle.graceful_shutdown(Some(Duration::from_secs(5)));
    });
    match tokio::try_join!(async { http.await }, https) {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("iotbox: a listener stopped: {error}");
            ExitCode::FAILURE
        }
    }
}

fn cannot_listen(addr: std::net::SocketAddr, error: &std::io::Error) -> ExitCode {
    eprintln!("iotbox: cannot listen on {addr}: {error}");
    ExitCode::FAILURE
}

/// The Leptos settings from the environment, as in any Leptos app, with our flags on top.
fn leptos_options(config: &Config) -> Result<LeptosOptions, String> {
    let mut options = get_configuration(None)
        .map_err(|e| format!("bad Leptos setting: {e}"))?
        .leptos_options;
    options.site_addr = config.http_addr;
    options.site_root = config.site_root().to_string_lossy().into();
    // Outside `cargo leptos watch`, no page should try to reach a live-reload socket.
    if std::env::var_os("LEPTOS_ENV").is_none() {
        options.env = Env::PROD;
    }
    Ok(options)
}

fn router(leptos_options: LeptosOptions, iot_box: Arc<IotBox>) -> Router {
    let routes = generate_route_list(App);
    let logs = axum::routing::get({
        let iot_box = iot_box.clone();
        move || download_logs(iot_box.clone())
    });
    let hosts =
        axum::middleware::from_fn_with_state(iot_box.clone(), same_origin::refuse_other_hosts);
    let context = move || provide_context(iot_box.clone());
    Router::new()
        .route("/api/logs", logs)
        .route_service(
            &leptos_axum::site_pkg_dir_service_route_path(&leptos_options),
            leptos_axum::site_pkg_dir_service(&leptos_options),
        )
        .leptos_routes_with_context(&leptos_options, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .layer(axum::middleware::from_fn(
            same_origin::refuse_cross_origin_changes,
        ))
        .layer(hosts)
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(leptos_options)
}

/// The log file as a `text/plain` attachment named after the box and the time.
async fn download_logs(iot_box: Arc<IotBox>) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    match tokio::task::spawn_blocking(move || iot_box.log_download()).await {
        Ok(Ok((name, lines))) => (
            [
                (
                    header::CONTENT_TYPE,
                    "text/plain; charset=utf-8".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            lines,
        )
            .into_response(),
        Ok(Err(error)) => {
            tracing::error!(%error, "the log file could not be read");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The log file could not be read.",
            )
                .into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("installing the SIGTERM handler");
        tokio::select! {
            _ = interrupt => {},
            _ = terminate.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
    tracing::info!("stopping");
}
