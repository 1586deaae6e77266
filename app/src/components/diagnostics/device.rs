//! This device's view: whether the phone or computer showing the page opens the box's HTTPS
//! address, and if not, the likely cause and its fix. It runs in the browser (JavaScript);
//! without it the page says so. The page may connect only to the address it was rendered
//! with (its Content-Security-Policy), so a newer address asks for a reload.

use super::verdict::{Verdict, VerdictHelp};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::Locale as _;

/// What the device found.
#[derive(Clone, Debug, PartialEq, Eq)]
// Found in the browser only; the server renders the page before.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum DeviceVerdict {
    /// This box answered at its HTTPS address.
    Opens,
    /// Another device answered there, naming itself `name`.
    OtherDevice { name: String },
    /// The name leads to the box over plain HTTP, but HTTPS fails: the device does not
    /// trust the certificate.
    NotTrusted,
    /// The browser refused the request itself: its "Local network access" permission is
    /// blocked for the page's site (Chrome). Not a DNS problem.
    BrowserBlocked,
    /// Nothing answered: the device does not find the name, or cannot reach it.
    /// `router_blocks`: the box's own check found the router's DNS blocks it.
    CannotOpen { router_blocks: bool },
}

impl DeviceVerdict {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Opens => "opens",
            Self::OtherDevice { .. } => "other_device",
            Self::NotTrusted => "not_trusted",
            Self::BrowserBlocked => "browser_blocked",
            Self::CannotOpen { .. } => "cannot_open",
        }
    }
}

/// The verdict from the HTTPS answer (the name of who answered), whether the name answers
/// over plain HTTP (`None`: not tried), whether the browser blocks requests to the local
/// network, and the box's own DNS check.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn device_verdict(
    over_https: Result<String, ()>,
    over_http: Option<bool>,
    local_network_denied: bool,
    box_name: &str,
    router_blocks: bool,
) -> DeviceVerdict {
    match (over_https, over_http) {
        (Ok(name), _) if name == box_name => DeviceVerdict::Opens,
        (Ok(name), _) => DeviceVerdict::OtherDevice { name },
        // First: with the permission denied the browser refuses requests to local addresses,
        // so nothing else it answers says anything of DNS or trust.
        (Err(()), _) if local_network_denied => DeviceVerdict::BrowserBlocked,
        (Err(()), Some(true)) => DeviceVerdict::NotTrusted,
        (Err(()), _) => DeviceVerdict::CannotOpen { router_blocks },
    }
}

fn device_help(verdict: &DeviceVerdict, locale: Locale) -> VerdictHelp {
    let administrator = td_string!(locale, diagnostics.administrator);
    let (title, explanation, steps): (String, String, Vec<&'static str>) = match verdict {
        DeviceVerdict::Opens => (
            td_string!(locale, diagnostics.device.opens.title).into(),
            td_string!(locale, diagnostics.device.opens.explanation).into(),
            vec![],
        ),
        DeviceVerdict::OtherDevice { name } => (
            td_string!(locale, diagnostics.device.other_device.title).into(),
            td_string!(locale, diagnostics.device.other_device.explanation, name).to_string(),
            vec![
                td_string!(locale, diagnostics.device.other_device.step_1),
                administrator,
            ],
        ),
        DeviceVerdict::NotTrusted => (
            td_string!(locale, diagnostics.device.not_trusted.title).into(),
            td_string!(locale, diagnostics.device.not_trusted.explanation).into(),
            vec![
                td_string!(locale, diagnostics.device.not_trusted.step_1),
                td_string!(locale, diagnostics.device.not_trusted.step_2),
            ],
        ),
        DeviceVerdict::BrowserBlocked => (
            td_string!(locale, diagnostics.device.browser_blocked.title).into(),
            td_string!(locale, diagnostics.device.browser_blocked.explanation).into(),
            vec![
                td_string!(locale, diagnostics.device.browser_blocked.step_1),
                td_string!(locale, diagnostics.device.browser_blocked.step_2),
            ],
        ),
        DeviceVerdict::CannotOpen {
            router_blocks: true,
        } => (
            td_string!(locale, diagnostics.device.router_blocks.title).into(),
            td_string!(locale, diagnostics.device.router_blocks.explanation).into(),
            vec![
                td_string!(locale, diagnostics.device.router_blocks.step_1),
                td_string!(locale, diagnostics.device.router_blocks.step_2),
                administrator,
            ],
        ),
        DeviceVerdict::CannotOpen {
            router_blocks: false,
        } => (
            td_string!(locale, diagnostics.device.cannot_open.title).into(),
            td_string!(locale, diagnostics.device.cannot_open.explanation).into(),
            vec![
                td_string!(locale, diagnostics.device.cannot_open.step_1),
                td_string!(locale, diagnostics.device.cannot_open.step_2),
                administrator,
            ],
        ),
    };
    VerdictHelp {
        title,
        explanation,
        steps,
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum DeviceState {
    /// As rendered on the server, and until the browser runs the check.
    NeedsJavaScript,
    NoAddress,
    /// The box has another address than the one the page may connect to.
    ReloadToCheck,
    Checking,
    Done(DeviceVerdict),
}

/// An island: it runs in the browser, with what the box rendered it with.
#[island]
pub fn DeviceCheck(
    /// The box's HTTPS address when the page was rendered.
    address: Option<String>,
    box_name: String,
    /// The box's own DNS check found the router blocks the address.
    router_blocks: bool,
    /// The page's language.
    lang: String,
) -> impl IntoView {
    let state = RwSignal::new(DeviceState::NeedsJavaScript);
    let locale = Locale::get_all()
        .iter()
        .copied()
        .find(|locale| locale.as_str() == lang)
        .unwrap_or_default();
    let at_load = StoredValue::new(address_at_load(address.as_deref()));
    let address = StoredValue::new(address);
    let box_name = StoredValue::new(box_name);
    // Copy (stored values): the effect and the button both run it.
    let check = move || {
        let Some(https_address) = address.get_value() else {
            state.set(DeviceState::NoAddress);
            return;
        };
        // The page may connect only to the address it was loaded with: a check made anew
        // for a newer address (the page read again) waits for a reload.
        if at_load.with_value(|at_load| at_load.as_ref() != Some(&https_address)) {
            state.set(DeviceState::ReloadToCheck);
            return;
        }
        state.set(DeviceState::Checking);
        probe(https_address, box_name.get_value(), router_blocks, state);
    };
    // Effects run only in the browser: the server renders "needs JavaScript".
    Effect::new(move |_| check());
    view! {
        <div data-testid="device-check" data-state=move || match state.get() {
            DeviceState::NeedsJavaScript => "needs_javascript",
            DeviceState::NoAddress => "no_address",
            DeviceState::ReloadToCheck => "reload",
            DeviceState::Checking => "checking",
            DeviceState::Done(_) => "done",
        }>
            {move || match state.get() {
                DeviceState::NeedsJavaScript => view! {
                    <p>{td_string!(locale, diagnostics.device.needs_javascript)}</p>
                }.into_any(),
                DeviceState::NoAddress => view! {
                    <p>{td_string!(locale, diagnostics.no_address)}</p>
                }.into_any(),
                DeviceState::ReloadToCheck => view! {
                    <p>{td_string!(locale, diagnostics.device.reload)}</p>
                }.into_any(),
                DeviceState::Checking => view! {
                    <p>{td_string!(locale, diagnostics.device.checking)}</p>
                }.into_any(),
                DeviceState::Done(verdict) => view! {
                    <Verdict help=device_help(&verdict, locale) name="device" kind=verdict.kind() />
                    <button type="button" class="button" on:click=move |_| check()>
                        {td_string!(locale, diagnostics.device.again)}
                    </button>
                }.into_any(),
            }}
        </div>
    }
}

/// The HTTPS address the page was loaded with (its Content-Security-Policy allows it alone):
/// the one the first device check of this page was rendered with.
#[cfg(feature = "hydrate")]
fn address_at_load(rendered: Option<&str>) -> Option<String> {
    thread_local! {
        static AT_LOAD: std::cell::OnceCell<Option<String>> = const { std::cell::OnceCell::new() };
    }
    AT_LOAD.with(|at_load| at_load.get_or_init(|| rendered.map(String::from)).clone())
}

/// On the server, the page being rendered is the one loaded.
#[cfg(not(feature = "hydrate"))]
fn address_at_load(rendered: Option<&str>) -> Option<String> {
    rendered.map(String::from)
}

/// Asks the HTTPS address from this browser, then sets `state` to the verdict.
#[cfg(feature = "hydrate")]
fn probe(
    https_address: String,
    box_name: String,
    router_blocks: bool,
    state: RwSignal<DeviceState>,
) {
    leptos::task::spawn_local(async move {
        let name = https_address
            .trim_start_matches("https://")
            .split(':')
            .next()
            .unwrap_or_default()
            .to_string();
        let https = super::device_probe::over_https(&https_address).await;
        // Only a failure needs telling apart: does the name lead to the box at all?
        let denied = https.is_err() && super::device_probe::local_network_denied().await;
        let http = match https {
            Err(()) if !denied => super::device_probe::over_http(&name).await,
            _ => None,
        };
        let verdict = device_verdict(https, http, denied, &box_name, router_blocks);
        state.set(DeviceState::Done(verdict));
    });
}

/// The server renders the page before any check: it never probes.
#[cfg(not(feature = "hydrate"))]
fn probe(_: String, _: String, _: bool, _: RwSignal<DeviceState>) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_answers_and_how_decides() {
        let ours = "iotbox-shop";
        assert_eq!(
            device_verdict(Ok(ours.into()), Some(true), false, ours, false),
            DeviceVerdict::Opens
        );
        assert_eq!(
            device_verdict(Ok("printer".into()), None, false, ours, false),
            DeviceVerdict::OtherDevice {
                name: "printer".into()
            }
        );
        assert_eq!(
            device_verdict(Err(()), Some(true), false, ours, false),
            DeviceVerdict::NotTrusted
        );
        assert_eq!(
            device_verdict(Err(()), Some(false), false, ours, true),
            DeviceVerdict::CannotOpen {
                router_blocks: true
            }
        );
        assert_eq!(
            device_verdict(Err(()), None, false, ours, false),
            DeviceVerdict::CannotOpen {
                router_blocks: false
            }
        );
        // The browser's own refusal comes before any guess about DNS or trust.
        assert_eq!(
            device_verdict(Err(()), None, true, ours, true),
            DeviceVerdict::BrowserBlocked
        );
        assert_eq!(
            device_verdict(Err(()), Some(false), true, ours, false),
            DeviceVerdict::BrowserBlocked
        );
    }
}
