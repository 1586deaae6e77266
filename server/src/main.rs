//! The `iotbox` binary: serves the box homepage over HTTP (reachable by IP address) and over
//! HTTPS with the box's certificate, and keeps that certificate current.
//! The local certificate authority and DNS server of tests and demos are another binary's
//! (`iotbox-local`), left out of this one.

use iotbox::command_line::{exit_bad_configuration, Config};
use iotbox::web::{self, Listeners};
use iotbox_core::certificate::engine::EngineConfig;
use iotbox_core::certificate::load::Timeouts;
use iotbox_core::diagnostics::address::Resolvers;
use iotbox_core::files::data_dir;
use iotbox_core::iot_box::{BoxConfig, IotBox};
use iotbox_core::logs::{log_file::LogFile, subscriber};
use iotbox_core::settings::file::SettingsFile;
use leptos::config::{get_configuration, Env};
use leptos::prelude::LeptosOptions;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// Connecting to the certificate server never takes longer than this, whatever the total.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    let config = Config::parse_or_exit();
    match iotbox_core::memory::runtime() {
        Ok(runtime) => runtime.block_on(run_box(config)),
        Err(error) => {
            eprintln!("iotbox: cannot start: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Start-up, in order: what can stop it with a bad configuration (exit code 2: flags, data
/// folder, settings file), then the listeners (bound, so a port 0 is known), then the box
/// (exit code 2 if its certificate folder is unusable), its worker and its pages.
async fn run_box(config: Config) -> ExitCode {
    let extra_roots = config
        .extra_roots()
        .unwrap_or_else(|message| exit_bad_configuration(&message));
    let log_file = data_dir::prepare(&config.data_dir)
        .and_then(|()| LogFile::open(&config.data_dir))
        .unwrap_or_else(|error| {
            exit_bad_configuration(&format!(
                "cannot use the data directory {}: {error}",
                config.data_dir.display()
            ))
        });
    let leptos_options =
        leptos_options(&config).unwrap_or_else(|message| exit_bad_configuration(&message));
    let settings = SettingsFile::open(&config.data_dir)
        .unwrap_or_else(|error| exit_bad_configuration(&error.to_string()));
    let (log_filter, _flush_logs_at_exit) = subscriber::to_terminal_and_file(&log_file);
    let open_files = iotbox::connections::raise_open_files_limit();
    let caps = iotbox::connections::caps_for(open_files);
    let listeners = match Listeners::bind(config.http_addr, config.https_addr).await {
        Ok(listeners) => listeners,
        Err((addr, error)) => {
            eprintln!("iotbox: cannot listen on {addr}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let box_config = BoxConfig {
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
            https_port: listeners.https_addr.port(),
        },
        resolvers: Resolvers {
            network: config.dns_resolver,
            public: config.public_dns,
        },
        metrics_token: config.metrics_token.clone(),
        serial_number_file: config.serial_number_file.clone(),
        http_addr: listeners.http_addr,
    };
    let iot_box = IotBox::open(&box_config, settings, log_file, log_filter)
        .map(Arc::new)
        .unwrap_or_else(|error| exit_bad_configuration(&error.to_string()));
    tracing::info!(
        data_dir = %config.data_dir.display(),
        site_root = %leptos_options.site_root,
        cert_server = %config.cert_server,
        cert_server_ca = ?extra_roots.as_ref().map(|ca| ca.path.display().to_string()),
        cert_server_ca_roots = extra_roots.as_ref().map_or(0, |ca| ca.certificates.len()),
        open_files,
        connections = caps.total,
        connections_per_device = caps.per_device,
        "starting"
    );
    let hashed = web::caching::HashedFiles::of_build(&leptos_options);
    if let Some(missing) = missing_page_script(&leptos_options, &hashed) {
        tracing::error!(
            missing = %missing.display(),
            hash_file = %web::caching::hash_file(&leptos_options).display(),
            "the page's script is not in the site: browsers get the page without JavaScript \
             (a build with hashed names needs its hash file beside the binary)"
        );
    }

    let tls = iot_box.certificate().served().tls_config();
    // RUST_LOG, for development, wins over the saved levels (the form still changes them).
    if std::env::var_os("RUST_LOG").is_none() {
        apply_log_levels(iot_box.clone()).await;
        tokio::spawn(apply_log_levels_hourly(iot_box.clone()));
    }
    let certificate_worker = tokio::spawn(iot_box.certificate().clone().run());
    tokio::spawn(iotbox_core::memory::give_back_freed());
    let listening = format!(
        "homepage on http://{} and https://{}",
        listeners.http_addr, listeners.https_addr
    );
    tracing::info!("{listening}");
    // Tests and scripts wait for this line and read the ports from it: printed whatever the
    // log levels. The journal has the line above.
    if !iotbox_core::logs::journal::stdout_is_journal() {
        println!("iotbox: {listening}");
    }
    iotbox_core::supervisor::ready();
    tokio::spawn(iotbox_core::supervisor::keep_alive());
    let router = web::router(leptos_options, hashed, iot_box);
    tokio::select! {
        () = listeners.serve(tls, router, caps) => ExitCode::SUCCESS,
        // The worker runs for the life of the box: if it ends, it panicked, and a box that
        // serves without renewing would let its certificate expire unseen. It exits instead,
        // and systemd starts it again (`Restart=always`).
        ended = certificate_worker => {
            let why = match ended {
                Err(error) if error.is_panic() => panic_message(error.into_panic()),
                Err(error) => error.to_string(),
                Ok(()) => "it returned".to_string(),
            };
            tracing::error!(%why, "the certificate worker stopped: the box exits, to be started again");
            eprintln!("iotbox: the certificate worker stopped ({why}); exiting");
            ExitCode::from(EXIT_WORKER_STOPPED)
        }
    }
}

/// The exit code when the certificate worker stopped (2 is a bad configuration).
const EXIT_WORKER_STOPPED: u8 = 3;

fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|text| text.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}

/// Applies the saved log levels every hour, so that they go back to the default seven days
/// after they were chosen.
async fn apply_log_levels_hourly(iot_box: Arc<IotBox>) {
    let hour = Duration::from_secs(3600);
    let mut hourly = tokio::time::interval_at(tokio::time::Instant::now() + hour, hour);
    loop {
        hourly.tick().await;
        apply_log_levels(iot_box.clone()).await;
    }
}

/// Reads, and may write, the settings file: off the async runtime.
async fn apply_log_levels(iot_box: Arc<IotBox>) {
    // A failure is logged; the levels are applied again within the hour.
    let _ = iotbox_core::blocking::off_the_runtime(move || iot_box.apply_log_levels()).await;
}

/// The script the page names, if the site lacks it: a hashed build run without its hash file
/// names files the build does not have.
fn missing_page_script(
    options: &LeptosOptions,
    hashed: &web::caching::HashedFiles,
) -> Option<std::path::PathBuf> {
    let name = hashed
        .script()
        .map_or_else(|| format!("{}.js", options.output_name), str::to_string);
    let script = std::path::Path::new(options.site_root.as_ref())
        .join(options.site_pkg_dir.as_ref())
        .join(name);
    (!script.is_file()).then_some(script)
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
    // A build with hashed file names leaves its hash file beside the binary, where Leptos
    // reads it.
    options.hash_files = options.hash_files || web::caching::hash_file(&options).is_file();
    Ok(options)
}
