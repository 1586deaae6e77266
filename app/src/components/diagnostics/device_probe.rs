//! The browser's side of the device check: asks for the box's answer at its HTTPS address
//! (a cross-origin read the box allows its own pages), and whether anything answers at that
//! name over plain HTTP (an opaque request: it only tells that the name leads somewhere),
//! and whether the browser itself blocks requests to the local network.

use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    PermissionState, PermissionStatus, RequestCache, RequestInit, RequestMode, Response,
};

/// The longest a probe waits: a device on another network never answers.
const TIMEOUT: Duration = Duration::from_secs(5);
const PATH: &str = "/api/https-check";

/// The box name in the answer at `https_address`, or why there is none.
pub async fn over_https(https_address: &str) -> Result<String, ()> {
    let response = fetch(&format!("{https_address}{PATH}"), RequestMode::Cors).await?;
    let body = JsFuture::from(response.text().map_err(drop)?)
        .await
        .map_err(drop)?
        .as_string()
        .ok_or(())?;
    let answer: Answer = serde_json::from_str(&body).map_err(drop)?;
    Ok(answer.name)
}

#[derive(serde::Deserialize)]
struct Answer {
    #[serde(rename = "box")]
    name: String,
}

/// Whether anything answers at `name` over plain HTTP on the port this page came from;
/// `None` when the page did not come over plain HTTP.
pub async fn over_http(name: &str) -> Option<bool> {
    let location = web_sys::window()?.location();
    if location.protocol().ok()? != "http:" {
        return None;
    }
    let port = location.port().ok().filter(|port| !port.is_empty());
    let url = match port {
        Some(port) => format!("http://{name}:{port}{PATH}"),
        None => format!("http://{name}{PATH}"),
    };
    Some(fetch(&url, RequestMode::NoCors).await.is_ok())
}

/// Whether this browser refuses this page's requests to the local network: Chrome's "Local
/// network access" permission (and the two it was later split into), denied for this site.
/// `false` where the browser knows no such permission.
pub async fn local_network_denied() -> bool {
    for name in ["local-network-access", "local-network", "loopback-network"] {
        if permission_state(name).await == Some(PermissionState::Denied) {
            return true;
        }
    }
    false
}

/// The permission's state; `None` where the browser does not know its name.
async fn permission_state(name: &str) -> Option<PermissionState> {
    let permissions = web_sys::window()?.navigator().permissions().ok()?;
    let descriptor = js_sys::Object::new();
    js_sys::Reflect::set(&descriptor, &"name".into(), &name.into()).ok()?;
    let status: PermissionStatus = JsFuture::from(permissions.query(&descriptor).ok()?)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    Some(status.state())
}

async fn fetch(url: &str, mode: RequestMode) -> Result<Response, ()> {
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_mode(mode);
    init.set_cache(RequestCache::NoStore);
    init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(
        TIMEOUT.as_millis() as u32,
    )));
    let window = web_sys::window().ok_or(())?;
    JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(drop)?
        .dyn_into::<Response>()
        .map_err(drop)
}
