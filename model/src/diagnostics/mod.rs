//! Why, not only what: the checks the box runs when its certificate fails or a person asks,
//! each with its result, how long it took, and a verdict the page explains with its fix.
//! - `route`: the way to the certificate server, step by step;
//! - `address`: whether the box's HTTPS address resolves, and to this box.

pub mod address;
pub mod route;

use super::error_code::ErrorCode;
use address::AddressCheck;
use route::RouteDiagnosis;
use serde::{Deserialize, Serialize};

/// The last result of each check (`GET /api/diagnostics`); `None` until it first ran.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnosticsReport {
    pub route: Option<RouteDiagnosis>,
    pub address: Option<AddressCheck>,
}

/// Whether the way to the certificate server may explain a failure with `code`: it could not
/// be reached, or it answered with an error. The box runs that check after such a failure,
/// and the banner shows it with it.
pub fn explains(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::LoadRequestException | ErrorCode::LoadRequestStatus(_)
    )
}
