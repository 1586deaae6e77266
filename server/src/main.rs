//! The `iotbox` binary: serves the box homepage over HTTP.

mod config;

use app::iot_box::{BoxConfig, IotBox};
use app::{shell, App};
use axum::Router;
use config::Config;
use leptos::config::{get_configuration, Env};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::process::ExitCode;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse_or_exit();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();

    let iot_box = IotBox::open(&BoxConfig {
        data_dir: config.data_dir.clone(),
        poll_interval: config.poll_interval,
    })
    .map(Arc::new)
    .unwrap_or_else(|error| config::exit_bad_configuration(&error.to_string()));

    let leptos_options = match leptos_options(&config) {
        Ok(options) => options,
        Err(message) => config::exit_bad_configuration(&message),
    };
    let addr = leptos_options.site_addr;
    tracing::info!(
        data_dir = %config.data_dir.display(),
        site_root = %leptos_options.site_root,
        cert_server = %config.cert_server,
        cert_server_ca = ?config.cert_server_ca.as_ref().map(|ca| ca.path.display().to_string()),
        cert_server_ca_roots = config.cert_server_ca.as_ref().map_or(0, |ca| ca.certificates.len()),
        https_addr = %config.https_addr,
        "starting"
    );

    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("iotbox: cannot listen on {addr}: {error}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!("homepage on http://{addr}");
    let served = axum::serve(listener, router(leptos_options, iot_box))
        .with_graceful_shutdown(shutdown_signal())
        .await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("iotbox: the HTTP server stopped: {error}");
            ExitCode::FAILURE
        }
    }
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
    let context = move || provide_context(iot_box.clone());
    Router::new()
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
        .with_state(leptos_options)
}

async fn shutdown_signal() {
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
