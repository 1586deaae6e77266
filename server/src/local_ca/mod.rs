//! `iotbox-local ca`: a certificate server on this machine that speaks the vendor's protocol
//! and issues real certificates signed by its own root, so the whole flow works offline.
//!
//! As the vendor, it gives a certificate only to known database UUID and contract pairs, and
//! an empty result to others. Its subjects are `*.<hash>.<domain>` with a `.localhost` domain:
//! browsers resolve every `*.localhost` name to this machine, so the box's HTTPS address
//! opens without any DNS set-up. It can play every fault the box must survive, switched while
//! it runs: `PUT /control/fault` with a phrase such as `status 503` (see [`fault::Fault`]).

mod authority;
mod fault;

use authority::{Authority, CA_FILE};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use fault::Fault;
use iotbox_core::certificate::fingerprint::sha256_hex;
use iotbox_core::settings::credential::Credential;
use serde_json::json;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use time::OffsetDateTime;

/// The path of the vendor's certificate endpoint, kept so the box's URL only changes host.
pub const X509_PATH: &str = "/odoo-enterprise/iot/x509";
/// Settings that connect a box to a demo server with the credential the local authority knows
/// unless told otherwise: one file for the authority, the scripts and the tests.
pub const DEMO_SETTINGS: &str = include_str!("demo-settings.toml");

/// The credential of [`DEMO_SETTINGS`].
pub fn demo_credential() -> Credential {
    let settings =
        iotbox_core::settings::parse(DEMO_SETTINGS).expect("the demo settings are valid");
    let credential = settings.credential;
    Credential {
        db_uuid: credential
            .db_uuid
            .expect("the demo settings have a database UUID"),
        contract_number: credential
            .contract_number
            .expect("the demo settings have a contract number"),
    }
}

#[derive(Debug, clap::Args)]
pub struct LocalCaArgs {
    /// Address to listen on (HTTPS, with a certificate from its own root).
    #[arg(long, env = "IOTBOX_LOCAL_CA_ADDR", default_value = "127.0.0.1:3900")]
    pub addr: SocketAddr,

    /// Folder of its root certificate (`ca.pem`, the file to give the box with
    /// `--cert-server-ca`) and key; created with a new root if empty.
    #[arg(long, env = "IOTBOX_LOCAL_CA_DIR", default_value = "target/local-ca")]
    pub dir: PathBuf,

    /// Domain of the subjects it issues: `*.<hash>.<domain>`.
    #[arg(long, default_value = "iotbox.localhost")]
    pub domain: String,

    /// A database UUID and contract number that get certificates, as UUID=CONTRACT
    /// (repeatable). Default: the demo credential.
    #[arg(long = "credential", value_parser = parse_credential)]
    pub credentials: Vec<(String, String)>,

    /// Lifetime of the certificates it issues.
    #[arg(long, default_value = "60days", value_parser = humantime::parse_duration)]
    pub validity: Duration,

    /// The fault to play from the start (see `PUT /control/fault`).
    #[arg(long, default_value = "none", value_parser = Fault::from_str)]
    pub fault: Fault,
}

fn parse_credential(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((uuid, contract)) if !uuid.is_empty() && !contract.is_empty() => {
            Ok((uuid.to_string(), contract.to_string()))
        }
        _ => Err("expected UUID=CONTRACT".to_string()),
    }
}

struct LocalCa {
    authority: Authority,
    known: Vec<(String, String)>,
    domain: String,
    validity: Duration,
    fault: Mutex<Fault>,
    requests: AtomicU64,
}

/// Runs until SIGTERM or Ctrl-C. `Err` is a configuration it cannot start with.
pub async fn run(args: LocalCaArgs) -> Result<ExitCode, String> {
    let authority = Authority::open_or_create(&args.dir)?;
    let tls = authority.tls_config()?;
    let known = if args.credentials.is_empty() {
        let demo = demo_credential();
        vec![(
            demo.db_uuid.as_str().to_string(),
            demo.contract_number.expose().to_string(),
        )]
    } else {
        args.credentials
    };
    let ca = Arc::new(LocalCa {
        authority,
        known,
        domain: args.domain,
        validity: args.validity,
        fault: Mutex::new(args.fault),
        requests: AtomicU64::new(0),
    });
    let app = Router::new()
        .route("/", get(home))
        .route(X509_PATH, post(issue))
        .route("/control/fault", get(current_fault).put(set_fault))
        .route("/control/requests", get(request_count))
        .with_state(ca);

    let listener = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("iotbox-local ca: cannot listen on {}: {error}", args.addr);
            return Ok(ExitCode::FAILURE);
        }
    };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(error) => {
            eprintln!("iotbox-local ca: cannot listen on {}: {error}", args.addr);
            return Ok(ExitCode::FAILURE);
        }
    };
    // Tests and scripts wait for this line, and read the port from it.
    println!(
        "local certificate authority: https://{addr}{X509_PATH} (trust {})",
        args.dir.join(CA_FILE).display()
    );
    let served = crate::connections::Served {
        http: None,
        https: Some((listener, tls)),
        router: app,
        caps: crate::connections::caps_for(crate::connections::raise_open_files_limit()),
    };
    crate::connections::serve(served, iotbox_core::shutdown::signal()).await;
    Ok(ExitCode::SUCCESS)
}

/// The server's front page, as the box's diagnostics ask for it (`HEAD /`): the faults that
/// stop a whole server (hang, slow, an error status) apply here too.
async fn home(State(ca): State<Arc<LocalCa>>) -> Response {
    let fault = *ca.fault.lock().unwrap_or_else(|e| e.into_inner());
    match fault {
        Fault::Hang => std::future::pending::<()>().await,
        Fault::Slow(delay) => tokio::time::sleep(delay).await,
        Fault::Status { code, .. } => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, status.to_string()).into_response();
        }
        _ => {}
    }
    "local certificate authority".into_response()
}

async fn issue(State(ca): State<Arc<LocalCa>>, body: Bytes) -> Response {
    let number = ca.requests.fetch_add(1, Ordering::SeqCst) + 1;
    let fault = *ca.fault.lock().unwrap_or_else(|e| e.into_inner());
    tracing::info!(number, %fault, "certificate request");
    match fault {
        Fault::Hang => std::future::pending::<()>().await,
        Fault::Slow(delay) => tokio::time::sleep(delay).await,
        Fault::Status { code, retry_after } => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = (status, status.to_string()).into_response();
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, seconds.into());
            }
            return response;
        }
        Fault::Html => {
            return (
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                "<!DOCTYPE html><html><body><h1>Down for maintenance</h1></body></html>",
            )
                .into_response()
        }
        Fault::Oversized => return oversized_answer(),
        Fault::Reset => return answer_cut_short(),
        _ => {}
    }

    let Ok(request) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "expected a JSON body").into_response();
    };
    let params = &request["params"];
    let (Some(db_uuid), Some(contract)) = (
        params["db_uuid"].as_str(),
        params["enterprise_code"].as_str(),
    ) else {
        return rpc_result(json!(false));
    };
    let eligible = ca
        .known
        .iter()
        .any(|(uuid, number)| uuid == db_uuid && number == contract);
    if fault == Fault::Empty {
        return rpc_result(json!(false));
    }
    if !eligible {
        return rpc_result(json!({"error": UNKNOWN_DATABASE}));
    }
    if fault == Fault::Refused {
        return rpc_result(json!({"error": fault::REFUSAL_REASON}));
    }
    match ca.certificate_for(db_uuid, fault) {
        Ok(result) => rpc_result(result),
        Err(message) => (StatusCode::INTERNAL_SERVER_ERROR, message).into_response(),
    }
}

/// What the authority says to a credential it does not know, in the vendor's refusal form.
const UNKNOWN_DATABASE: &str = "No IoT box subscription was found for this database";

impl LocalCa {
    fn certificate_for(&self, db_uuid: &str, fault: Fault) -> Result<serde_json::Value, String> {
        let hash = &sha256_hex(db_uuid.as_bytes())[..12];
        let subject = format!("*.{hash}.{}", self.domain);
        let now = OffsetDateTime::now_utc();
        let validity = time::Duration::try_from(self.validity).map_err(|e| e.to_string())?;
        let (not_before, not_after) = match fault {
            Fault::Expired => (
                now - validity - time::Duration::days(1),
                now - time::Duration::days(1),
            ),
            Fault::Due => (
                now - time::Duration::days(55),
                now + time::Duration::days(5),
            ),
            Fault::Ahead(by) => {
                let by = time::Duration::try_from(by).map_err(|e| e.to_string())?;
                (now + by, now + by + validity)
            }
            // From this very second, as a server may: not backdated for a box a little behind.
            _ => (now, now + validity),
        };
        let issued_for = match fault {
            Fault::WrongCn => format!("*.someone-else.{}", self.domain),
            _ => subject.clone(),
        };
        let issued = self.authority.issue(&[issued_for], not_before, not_after)?;
        let x509_pem = match fault {
            Fault::GarbagePem => {
                "-----BEGIN CERTIFICATE-----\nthis is not a certificate\n-----END CERTIFICATE-----\n"
                    .to_string()
            }
            _ => issued.chain,
        };
        let private_key_pem = match fault {
            Fault::KeyMismatch => {
                self.authority
                    .issue(std::slice::from_ref(&subject), not_before, not_after)?
                    .key
            }
            _ => issued.key,
        };
        Ok(json!({
            "x509_pem": x509_pem,
            "private_key_pem": private_key_pem,
            "subject_cn": subject,
        }))
    }
}

fn rpc_result(result: serde_json::Value) -> Response {
    Json(json!({"jsonrpc": "2.0", "id": null, "result": result})).into_response()
}

/// 2 MiB, sent in chunks without a length, as a misbehaving proxy might.
fn oversized_answer() -> Response {
    let chunk = Bytes::from(vec![b'A'; 64 * 1024]);
    let chunks = std::iter::once(Ok::<_, std::io::Error>(Bytes::from_static(
        b"{\"result\": {\"x509_pem\": \"",
    )))
    .chain(std::iter::repeat_n(chunk, 32).map(Ok));
    Response::builder()
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .expect("static response parts")
}

/// Starts a 200 answer, then drops the connection.
fn answer_cut_short() -> Response {
    let chunks = [
        Ok(Bytes::from_static(
            b"{\"jsonrpc\": \"2.0\", \"result\": {\"x509_pem\": \"",
        )),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection reset by the local certificate authority",
        )),
    ];
    Response::builder()
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .expect("static response parts")
}

async fn current_fault(State(ca): State<Arc<LocalCa>>) -> String {
    ca.fault
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .to_string()
}

async fn set_fault(State(ca): State<Arc<LocalCa>>, phrase: String) -> Response {
    match phrase.parse::<Fault>() {
        Ok(fault) => {
            *ca.fault.lock().unwrap_or_else(|e| e.into_inner()) = fault;
            tracing::info!(%fault, "fault switched");
            fault.to_string().into_response()
        }
        Err(message) => (StatusCode::BAD_REQUEST, message).into_response(),
    }
}

async fn request_count(State(ca): State<Arc<LocalCa>>) -> Json<serde_json::Value> {
    Json(json!({"x509_requests": ca.requests.load(Ordering::SeqCst)}))
}
