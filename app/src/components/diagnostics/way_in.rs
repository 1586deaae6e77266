//! A way in while the HTTPS address does not resolve on this network (most often the
//! router's DNS rebinding protection, the most common report): the box by its IP address,
//! which works meanwhile, and the fix for the common router families, each by its own menu
//! names: an exception for the certificate's domain where the router has one, else a public
//! DNS resolver on the router or on each device.

use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn WayIn(
    /// The homepage by the box's IP address over plain HTTP.
    by_ip: Option<String>,
    /// The domain the router must let resolve to private addresses (`odoo-iot.com`).
    domain: String,
) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let router_fixes = [
        (
            "FRITZ!Box",
            td_string!(
                locale,
                diagnostics.way_in.fritz_box,
                domain = domain.clone()
            )
            .to_string(),
        ),
        (
            "OpenWrt",
            td_string!(locale, diagnostics.way_in.openwrt, domain = domain.clone()).to_string(),
        ),
        (
            "pfSense, OPNsense",
            td_string!(locale, diagnostics.way_in.unbound, domain = domain.clone()).to_string(),
        ),
        (
            "DD-WRT, FreshTomato, EdgeRouter",
            td_string!(locale, diagnostics.way_in.dnsmasq, domain = domain.clone()).to_string(),
        ),
        (
            td_string!(locale, diagnostics.way_in.other_routers),
            td_string!(locale, diagnostics.way_in.public_dns).to_string(),
        ),
    ];
    view! {
        <section class="way-in" data-testid="way-in">
            <h3 class="diagnosis__title">{td_string!(locale, diagnostics.way_in.title)}</h3>
            {by_ip.map(|address| view! {
                <p data-testid="way-in-by-ip">
                    {td_string!(locale, diagnostics.way_in.by_ip)} " "
                    <a href=address.clone()>{address.clone()}</a>
                    " " {td_string!(locale, diagnostics.way_in.by_ip_terminals)}
                </p>
            })}
            <p>{td_string!(locale, diagnostics.way_in.routers)}</p>
            <dl class="way-in__routers" data-testid="way-in-routers">
                {router_fixes.into_iter().map(|(family, fix)| view! {
                    <dt>{family}</dt>
                    <dd>{fix}</dd>
                }).collect_view()}
            </dl>
        </section>
    }
}

/// The domain a router's exception names: the last two labels of the HTTPS address's host
/// (`192-168-1-42.abc123.odoo-iot.com` → `odoo-iot.com`).
pub fn exception_domain(https_address: &str) -> Option<String> {
    let host = url_host(https_address)?;
    let labels: Vec<&str> = host.split('.').collect();
    (labels.len() >= 2).then(|| labels[labels.len() - 2..].join("."))
}

fn url_host(address: &str) -> Option<&str> {
    let rest = address.split_once("://").map_or(address, |(_, rest)| rest);
    let host = rest.split(['/', ':']).next()?;
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exception_is_for_the_certificate_s_domain() {
        assert_eq!(
            exception_domain("https://192-168-1-42.abc123.odoo-iot.com").as_deref(),
            Some("odoo-iot.com")
        );
        assert_eq!(
            exception_domain("https://192-0-2-2.56d744d637d8.iotbox.localhost:3443/").as_deref(),
            Some("iotbox.localhost")
        );
        assert_eq!(exception_domain("https://localhost"), None);
        assert_eq!(exception_domain(""), None);
    }
}
