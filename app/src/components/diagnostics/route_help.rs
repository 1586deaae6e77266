//! What each verdict of the way to the certificate server means and how to fix it, in the words of the user
//! documentation where it names the cause (firewalls, VPNs, no Internet access, the server
//! down for maintenance).

use crate::model::diagnostics::route::RouteVerdict;

use super::verdict::{VerdictHelp, ADMINISTRATOR};

pub fn route_help(verdict: &RouteVerdict) -> VerdictHelp {
    let (title, explanation, steps): (String, String, &'static [&'static str]) = match verdict {
        RouteVerdict::Fine => (
            "The way to the certificate server works".into(),
            "Every step worked: the box reaches the certificate server, which answers. If a \
             certificate request still fails, its code above says what the server refused."
                .into(),
            &[],
        ),
        RouteVerdict::NoDns => (
            "The box cannot find the certificate server".into(),
            "Its name does not resolve: the box has no Internet access, or its network gives \
             it no working DNS."
                .into(),
            &[
                "Check the box's network cable or Wi-Fi, and that other devices on this network \
                 reach the Internet.",
                "If they do, set a public DNS server (for example Google DNS, 8.8.8.8) on the \
                 router.",
                ADMINISTRATOR,
            ],
        ),
        RouteVerdict::Blocked => (
            "Something blocks the box's connection to the certificate server".into(),
            "The connection is refused, or never answered: most often a firewall (some routers \
             have one built in)."
                .into(),
            &[
                "Allow the box to reach the Internet over HTTPS (port 443) in the firewall, or \
                 turn the firewall off until the certificate is received.",
                ADMINISTRATOR,
            ],
        ),
        RouteVerdict::Cut => (
            "The connection to the certificate server is cut".into(),
            "It opens, then closes before it is secured: a firewall, a proxy or a VPN drops it."
                .into(),
            &[
                "Allow the box through the firewall, proxy or VPN, or turn it off until the \
                 certificate is received.",
                ADMINISTRATOR,
            ],
        ),
        RouteVerdict::Intercepted { issuer } => (
            "Something else answers in the certificate server's place".into(),
            format!(
                "The box was shown a certificate issued by \"{issuer}\", which it does not trust \
                 for the certificate server: a proxy, a VPN or a firewall that inspects HTTPS \
                 traffic stands in between."
            ),
            &[
                "Exempt the box from HTTPS inspection in the firewall, proxy or VPN, or connect \
                 it to a network without one.",
                ADMINISTRATOR,
            ],
        ),
        RouteVerdict::CertificateDates => (
            "The certificate server's certificate is not valid at the box's time".into(),
            "Most often the box's clock is wrong.".into(),
            &[
                "Check that the box reaches a time server (NTP) on the Internet: a firewall may \
                 block it. The box sets its clock by itself once it can.",
            ],
        ),
        RouteVerdict::TlsFailed => (
            "The secure connection to the certificate server fails".into(),
            "The step below says why.".into(),
            &[
                "Network restrictions (a firewall, a proxy or a VPN) may interfere: give the \
                 detail below to your network administrator.",
            ],
        ),
        RouteVerdict::Silent => (
            "The certificate server does not answer".into(),
            "The connection works, but no answer came in time: the server is overloaded, or \
             something on the way holds the connection."
                .into(),
            &[
                "Wait: the box tries again by itself.",
                "If it lasts, check whether a proxy or a firewall holds HTTPS connections.",
            ],
        ),
        RouteVerdict::ServerError { status } => (
            format!("The certificate server answers with an error ({status})"),
            "The box reaches it, but the server itself has a problem: it may be down for \
             maintenance."
                .into(),
            &[
                "Open https://www.odoo.com to see whether it is down; if so, wait until it is \
                 back: the box tries again by itself.",
                "If it lasts, open a support ticket at https://www.odoo.com/help and include \
                 the code shown above.",
            ],
        ),
    };
    VerdictHelp {
        title,
        explanation,
        steps,
    }
}
