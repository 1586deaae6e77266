//! What each error code means and how to fix it, in the words of the user documentation
//! (the HTTPS certificate page of the IoT documentation), for the banner.

use crate::model::error_code::ErrorCode;

/// The help for one code. `steps` are what the user can do, in order.
pub struct Help {
    pub title: &'static str,
    pub explanation: &'static str,
    pub steps: &'static [&'static str],
    /// What the banner offers besides "Try again".
    pub action: HelpAction,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HelpAction {
    None,
    ConnectServer,
    EnterCredential,
    DownloadLogs,
}

pub fn help(code: ErrorCode) -> Help {
    match code {
        ErrorCode::CheckNoServer => Help {
            title: "This box is not connected to an Odoo server yet",
            explanation: "Nothing is wrong. The box asks for its HTTPS certificate once it is \
                          connected to your Odoo database.",
            steps: &["Connect the box to your Odoo server, below."],
            action: HelpAction::ConnectServer,
        },
        ErrorCode::CheckCertReadException => Help {
            title: "The box cannot read its HTTPS certificate",
            explanation: "An error occurred while reading the existing HTTPS certificate.",
            steps: &[
                "Verify that the HTTPS certificate file is readable (the detail below names it).",
                "Or press \"Try again\": the box asks for a new certificate and keeps the \
                 unreadable one aside.",
            ],
            action: HelpAction::None,
        },
        ErrorCode::LoadNoCredential => Help {
            title: "The credential is missing",
            explanation: "The contract number and/or the database UUID are missing from this box.",
            steps: &[
                "Enter both values under Credential, then save: the box asks for a \
                      certificate at once.",
            ],
            action: HelpAction::EnterCredential,
        },
        ErrorCode::LoadRequestException => Help {
            title: "The box cannot reach the certificate server",
            explanation: "An unexpected error occurred while the box tried to reach the \
                          certificate server. This is likely a network problem: the box has \
                          no Internet access, or a firewall or VPN blocks it.",
            steps: &[
                "Check that the box is connected to the Internet.",
                "If a firewall (some routers have one built in) blocks the box, allow it, or \
                 turn the firewall off until the certificate is received.",
                "The details below say what failed; the logs say more. For the most, set the \
                 log level of the certificate engine to Debug (Log level, under the cogs \
                 button), press \"Try again\", then download the logs.",
                "Network problems are for your system or network administrator.",
            ],
            action: HelpAction::DownloadLogs,
        },
        ErrorCode::LoadRequestStatus(_) => Help {
            title: "The certificate server gave an unusual answer",
            explanation: "The box reached the certificate server but received an unusual HTTP \
                          status (the number in the code; 404, for example, means \"Page Not \
                          Found\").",
            steps: &[
                "Open https://www.odoo.com in a browser to see whether the website is down \
                 for maintenance; if so, wait until it is back: the box tries again by itself.",
                "If the website works, open a support ticket at https://www.odoo.com/help and \
                 include the 3-digit status code.",
            ],
            action: HelpAction::None,
        },
        ErrorCode::LoadRequestNoResult => Help {
            title: "The certificate server refused to give a certificate",
            explanation: "The box reached the certificate server, but the server refused to \
                          provide an HTTPS certificate for this database.",
            steps: &[
                "Verify that the database is a production database, not a copy, a duplicate, \
                 a staging or a development database.",
                "Verify that the Odoo subscription is In Progress and has an IoT box \
                 subscription line.",
                "If the IoT box subscription was added after connecting the box, press \"Try \
                 again\" (or refresh this page).",
            ],
            action: HelpAction::EnterCredential,
        },
    }
}
