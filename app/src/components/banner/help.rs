//! What each error code means and how to fix it, in the words of the user documentation
//! (the HTTPS certificate page of the IoT documentation), for the banner. The texts are in
//! `locales/<language>.json`, under `banner`.

use crate::i18n::*;
use crate::model::error_code::ErrorCode;

/// The help for one code. `steps` are what the user can do, in order.
pub struct Help {
    pub title: &'static str,
    pub explanation: &'static str,
    pub steps: Vec<&'static str>,
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

/// The help for `code` in `locale`. The code itself is never translated: users quote it in
/// support tickets.
pub fn help(code: ErrorCode, locale: Locale) -> Help {
    match code {
        ErrorCode::CheckNoServer => Help {
            title: td_string!(locale, banner.no_server.title),
            explanation: td_string!(locale, banner.no_server.explanation),
            steps: vec![td_string!(locale, banner.no_server.step_1)],
            action: HelpAction::ConnectServer,
        },
        ErrorCode::CheckCertReadException => Help {
            title: td_string!(locale, banner.cert_read.title),
            explanation: td_string!(locale, banner.cert_read.explanation),
            steps: vec![
                td_string!(locale, banner.cert_read.step_1),
                td_string!(locale, banner.cert_read.step_2),
            ],
            action: HelpAction::None,
        },
        ErrorCode::LoadNoCredential => Help {
            title: td_string!(locale, banner.no_credential.title),
            explanation: td_string!(locale, banner.no_credential.explanation),
            steps: vec![td_string!(locale, banner.no_credential.step_1)],
            action: HelpAction::EnterCredential,
        },
        ErrorCode::LoadRequestException => Help {
            title: td_string!(locale, banner.request_exception.title),
            explanation: td_string!(locale, banner.request_exception.explanation),
            steps: vec![
                td_string!(locale, banner.request_exception.step_1),
                td_string!(locale, banner.request_exception.step_2),
                td_string!(locale, banner.request_exception.step_3),
                td_string!(locale, banner.request_exception.step_4),
            ],
            action: HelpAction::DownloadLogs,
        },
        ErrorCode::LoadRequestStatus(_) => Help {
            title: td_string!(locale, banner.request_status.title),
            explanation: td_string!(locale, banner.request_status.explanation),
            steps: vec![
                td_string!(locale, banner.request_status.step_1),
                td_string!(locale, banner.request_status.step_2),
            ],
            action: HelpAction::None,
        },
        ErrorCode::LoadRequestNoResult => Help {
            title: td_string!(locale, banner.no_result.title),
            explanation: td_string!(locale, banner.no_result.explanation),
            steps: vec![
                td_string!(locale, banner.no_result.step_1),
                td_string!(locale, banner.no_result.step_2),
                td_string!(locale, banner.no_result.step_3),
            ],
            action: HelpAction::EnterCredential,
        },
    }
}
