//! What each verdict of the address check means and how to fix it, in the words of the user
//! documentation ("The IoT system's homepage can be accessed using its IP address but not the
//! xxx.odoo-iot.com URL": set Google DNS on the router, or on each device).

use super::verdict::{VerdictHelp, ADMINISTRATOR};
use crate::model::diagnostics::address::AddressVerdict;

const GOOGLE_DNS_STEPS: &[&str] = &[
    "If the router allows it, set its DNS servers to Google DNS (8.8.8.8 and 8.8.4.4).",
    "If it does not, set Google DNS on each device that uses the box (the manufacturer's \
     website says how). Payment terminals usually need no change: they come with their own \
     DNS settings.",
    ADMINISTRATOR,
];

pub fn address_help(verdict: &AddressVerdict) -> VerdictHelp {
    let (title, explanation, steps): (String, String, &'static [&'static str]) = match verdict {
        AddressVerdict::ResolvesHere => (
            "The HTTPS address resolves to this box".into(),
            "Devices that use this network's DNS find the box by its HTTPS address.".into(),
            &[],
        ),
        AddressVerdict::ResolvesElsewhere { addresses } => (
            "The HTTPS address resolves to another device".into(),
            format!(
                "This network's DNS answers {}, not this box's address: a record on the \
                 router or a DNS filter overrides it.",
                addresses.join(", ")
            ),
            &[
                "Remove the entry for this name from the router's DNS settings, or set Google \
                 DNS (8.8.8.8) on the router.",
                ADMINISTRATOR,
            ],
        ),
        AddressVerdict::RouterBlocks => (
            "The router's DNS blocks the HTTPS address".into(),
            "A public DNS finds it, this network's does not: the router refuses names that \
             point to addresses inside the network (DNS rebinding protection). Browsers then \
             show an error such as DNS_PROBE_FINISHED_NXDOMAIN, while the box still opens by \
             its IP address."
                .into(),
            GOOGLE_DNS_STEPS,
        ),
        AddressVerdict::NotFoundHere => (
            "This network's DNS does not find the HTTPS address".into(),
            "And the public DNS could not be asked to compare: the network may block DNS \
             requests to the Internet."
                .into(),
            GOOGLE_DNS_STEPS,
        ),
        AddressVerdict::NotFound => (
            "No DNS finds the HTTPS address".into(),
            "Neither this network's DNS nor a public one knows the name: the certificate's \
             domain does not resolve (yet)."
                .into(),
            &[
                "Press \"Try again\" in a few minutes; if it lasts, open a support ticket at \
                 https://www.odoo.com/help.",
            ],
        ),
    };
    VerdictHelp {
        title,
        explanation,
        steps,
    }
}
