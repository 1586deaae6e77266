//! What each verdict of the address check means and how to fix it, in the words of the user
//! documentation ("The IoT system's homepage can be accessed using its IP address but not the
//! xxx.odoo-iot.com URL": set Google DNS on the router, or on each device). The texts are
//! under `diagnostics.address`.

use super::verdict::VerdictHelp;
use crate::i18n::*;
use crate::model::diagnostics::address::AddressVerdict;

pub fn address_help(verdict: &AddressVerdict, locale: Locale) -> VerdictHelp {
    let google_dns = vec![
        td_string!(locale, diagnostics.address.google_dns_router),
        td_string!(locale, diagnostics.address.google_dns_devices),
        td_string!(locale, diagnostics.administrator),
    ];
    let (title, explanation, steps): (String, String, Vec<&'static str>) = match verdict {
        AddressVerdict::ResolvesHere => (
            td_string!(locale, diagnostics.address.resolves_here.title).into(),
            td_string!(locale, diagnostics.address.resolves_here.explanation).into(),
            vec![],
        ),
        AddressVerdict::ResolvesElsewhere { addresses } => (
            td_string!(locale, diagnostics.address.resolves_elsewhere.title).into(),
            td_string!(
                locale,
                diagnostics.address.resolves_elsewhere.explanation,
                addresses = addresses.join(", ")
            )
            .to_string(),
            vec![
                td_string!(locale, diagnostics.address.resolves_elsewhere.step_1),
                td_string!(locale, diagnostics.administrator),
            ],
        ),
        AddressVerdict::RouterBlocks => (
            td_string!(locale, diagnostics.address.router_blocks.title).into(),
            td_string!(locale, diagnostics.address.router_blocks.explanation).into(),
            google_dns,
        ),
        AddressVerdict::NotFoundHere => (
            td_string!(locale, diagnostics.address.not_found_here.title).into(),
            td_string!(locale, diagnostics.address.not_found_here.explanation).into(),
            google_dns,
        ),
        AddressVerdict::NotFound => (
            td_string!(locale, diagnostics.address.not_found.title).into(),
            td_string!(locale, diagnostics.address.not_found.explanation).into(),
            vec![td_string!(locale, diagnostics.address.not_found.step_1)],
        ),
    };
    VerdictHelp {
        title,
        explanation,
        steps,
    }
}
