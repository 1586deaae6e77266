//! This device's view: whether the phone or computer showing the page opens the box's HTTPS
//! address, and if not, the likely cause and its fix. It runs in the browser (JavaScript);
//! without it the page says so. The page may connect only to the address it was rendered
//! with (its Content-Security-Policy), so a newer address asks for a reload.

use super::verdict::{Verdict, VerdictHelp, ADMINISTRATOR};
use leptos::prelude::*;

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
            Self::CannotOpen { .. } => "cannot_open",
        }
    }
}

/// The verdict from the HTTPS answer (the name of who answered), whether the name answers
/// over plain HTTP (`None`: not tried), and the box's own DNS check.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn device_verdict(
    over_https: Result<String, ()>,
    over_http: Option<bool>,
    box_name: &str,
    router_blocks: bool,
) -> DeviceVerdict {
    match (over_https, over_http) {
        (Ok(name), _) if name == box_name => DeviceVerdict::Opens,
        (Ok(name), _) => DeviceVerdict::OtherDevice { name },
        (Err(()), Some(true)) => DeviceVerdict::NotTrusted,
        (Err(()), _) => DeviceVerdict::CannotOpen { router_blocks },
    }
}

fn device_help(verdict: &DeviceVerdict) -> VerdictHelp {
    let (title, explanation, steps): (String, String, &'static [&'static str]) = match verdict {
        DeviceVerdict::Opens => (
            "This device opens the HTTPS address".into(),
            "This phone or computer finds the box by its HTTPS address and trusts its \
             certificate."
                .into(),
            &[],
        ),
        DeviceVerdict::OtherDevice { name } => (
            "Another device answers at the HTTPS address".into(),
            format!("It says it is \"{name}\", not this box: the name leads elsewhere on this device's network."),
            &[
                "Check that this device is on the same network as the box.",
                ADMINISTRATOR,
            ],
        ),
        DeviceVerdict::NotTrusted => (
            "This device does not trust the box's certificate".into(),
            "It reaches the box by that name, but refuses the secure connection.".into(),
            &[
                "Check this device's date and time: a wrong clock makes every certificate look \
                 invalid.",
                "Update this device's system if it is old: it may not know the certificate's \
                 issuer.",
            ],
        ),
        DeviceVerdict::CannotOpen { router_blocks: true } => (
            "This device cannot open the HTTPS address: the router's DNS blocks it".into(),
            "As the box found above, this network's DNS does not give the address. Browsers \
             then show an error such as DNS_PROBE_FINISHED_NXDOMAIN."
                .into(),
            &[
                "If the router allows it, set its DNS servers to Google DNS (8.8.8.8 and \
                 8.8.4.4).",
                "If it does not, set Google DNS on this device (its network settings).",
                ADMINISTRATOR,
            ],
        ),
        DeviceVerdict::CannotOpen { router_blocks: false } => (
            "This device cannot open the HTTPS address".into(),
            "It does not find the name, or cannot reach the box: its DNS (a VPN or a private \
             DNS on the device), or another network than the box's (a guest Wi-Fi, mobile \
             data)."
                .into(),
            &[
                "Connect this device to the same network as the box, without a VPN.",
                "Set Google DNS (8.8.8.8) on the router, or on this device.",
                ADMINISTRATOR,
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

#[component]
pub fn DeviceCheck(
    /// The HTTPS address the page was rendered with (and may connect to).
    address_at_load: Option<String>,
    address: Signal<Option<String>>,
    box_name: Signal<String>,
    /// The box's own DNS check found the router blocks the address.
    router_blocks: Signal<bool>,
) -> impl IntoView {
    let state = RwSignal::new(DeviceState::NeedsJavaScript);
    let address_at_load = StoredValue::new(address_at_load);
    // Copy (signals and a stored value): the effect and the button both run it.
    let check = move || {
        let Some(https_address) = address.get_untracked() else {
            state.set(DeviceState::NoAddress);
            return;
        };
        if address_at_load.with_value(|at_load| at_load.as_ref() != Some(&https_address)) {
            state.set(DeviceState::ReloadToCheck);
            return;
        }
        state.set(DeviceState::Checking);
        probe(https_address, box_name, router_blocks, state);
    };
    // Effects run only in the browser: the server renders "needs JavaScript".
    Effect::new(move |_| {
        address.track();
        check();
    });
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
                    <p>"This check runs in your browser: it needs JavaScript."</p>
                }.into_any(),
                DeviceState::NoAddress => view! {
                    <p>"Not checked: the box has no HTTPS address until it has its certificate."</p>
                }.into_any(),
                DeviceState::ReloadToCheck => view! {
                    <p>"The box has a new HTTPS address: reload the page to check it from this device."</p>
                }.into_any(),
                DeviceState::Checking => view! {
                    <p>"Checking whether this device opens the HTTPS address…"</p>
                }.into_any(),
                DeviceState::Done(verdict) => view! {
                    <Verdict help=device_help(&verdict) name="device" kind=verdict.kind() />
                    <button type="button" class="button" on:click=move |_| check()>
                        "Check this device again"
                    </button>
                }.into_any(),
            }}
        </div>
    }
}

/// Asks the HTTPS address from this browser, then sets `state` to the verdict.
#[cfg(feature = "hydrate")]
fn probe(
    https_address: String,
    box_name: Signal<String>,
    router_blocks: Signal<bool>,
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
        let http = match https {
            Ok(_) => None,
            Err(()) => super::device_probe::over_http(&name).await,
        };
        let verdict = device_verdict(
            https,
            http,
            &box_name.get_untracked(),
            router_blocks.get_untracked(),
        );
        state.set(DeviceState::Done(verdict));
    });
}

/// The server renders the page before any check: it never probes.
#[cfg(not(feature = "hydrate"))]
fn probe(_: String, _: Signal<String>, _: Signal<bool>, _: RwSignal<DeviceState>) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_answers_and_how_decides() {
        let ours = "iotbox-shop";
        assert_eq!(
            device_verdict(Ok(ours.into()), Some(true), ours, false),
            DeviceVerdict::Opens
        );
        assert_eq!(
            device_verdict(Ok("printer".into()), None, ours, false),
            DeviceVerdict::OtherDevice {
                name: "printer".into()
            }
        );
        assert_eq!(
            device_verdict(Err(()), Some(true), ours, false),
            DeviceVerdict::NotTrusted
        );
        assert_eq!(
            device_verdict(Err(()), Some(false), ours, true),
            DeviceVerdict::CannotOpen {
                router_blocks: true
            }
        );
        assert_eq!(
            device_verdict(Err(()), None, ours, false),
            DeviceVerdict::CannotOpen {
                router_blocks: false
            }
        );
    }
}
