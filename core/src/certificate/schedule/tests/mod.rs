//! Every transition of the engine's decisions, on a clock the tests set: when a certificate
//! is needed (`needs`), and how the box asks again (`retries`). Here, the world they look at.

use super::*;
use crate::certificate::backoff::{FIRST_RETRY, MAX_RETRY};
use crate::certificate::temporary;
use crate::certificate::TEMPORARY_CN;
use std::sync::OnceLock;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-11-26 12:00 UTC);
const SUBJECT: &str = "*.abc123.odoo-iot.com";
const SECOND: Duration = Duration::from_secs(1);

/// A real parsed pair (made once: key generation is slow), given the name, dates and
/// fingerprint of the test.
fn pair(
    cn: &str,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    id: u8,
) -> Arc<CertificatePair> {
    static MADE: OnceLock<CertificatePair> = OnceLock::new();
    let mut pair = MADE.get_or_init(|| temporary::generate().unwrap()).clone();
    pair.summary.common_name = Some(cn.to_string());
    pair.summary.not_before = not_before;
    pair.summary.not_after = not_after;
    pair.summary.fingerprint = format!("{id:064}");
    Arc::new(pair)
}

fn temporary_pair() -> Arc<CertificatePair> {
    pair(
        TEMPORARY_CN,
        NOW - time::Duration::days(1),
        NOW + time::Duration::days(365),
        0,
    )
}

/// A 60-day certificate issued a day ago: renewal starts 20 days before it expires.
fn real_pair(id: u8) -> Arc<CertificatePair> {
    pair(
        SUBJECT,
        NOW - time::Duration::days(1),
        NOW + time::Duration::days(59),
        id,
    )
}

fn settings(server: bool, db_uuid: bool, contract_number: bool) -> Settings {
    let mut text = String::new();
    if server {
        text.push_str("[odoo]\nserver_url = \"https://erp.example.com\"\n");
    }
    text.push_str("[credential]\n");
    if db_uuid {
        text.push_str("db_uuid = \"6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10\"\n");
    }
    if contract_number {
        text.push_str("contract_number = \"M2611250001\"\n");
    }
    crate::settings::parse(&text).unwrap()
}

fn ready() -> Settings {
    settings(true, true, true)
}

/// The engine's world at one moment: settings, the pair on disk, the pair served.
struct World {
    settings: Settings,
    on_disk: DiskCertificate,
    served: Arc<CertificatePair>,
    clock_wrong: bool,
}

impl World {
    /// A box serving its temporary certificate, with nothing on disk yet.
    fn new(settings: Settings) -> Self {
        Self {
            settings,
            on_disk: DiskCertificate::Missing,
            served: temporary_pair(),
            clock_wrong: false,
        }
    }

    /// A box serving `pair`, which is also on disk.
    fn serving(settings: Settings, pair: Arc<CertificatePair>) -> Self {
        Self {
            settings,
            on_disk: DiskCertificate::Readable(pair.clone()),
            served: pair,
            clock_wrong: false,
        }
    }

    fn facts(&self, now: OffsetDateTime) -> Facts<'_> {
        Facts {
            settings: &self.settings,
            on_disk: &self.on_disk,
            served: &self.served.summary,
            now,
            clock_wrong: self.clock_wrong,
        }
    }

    fn step(&self, schedule: &mut Schedule, now: OffsetDateTime) -> Step {
        schedule.next_step(&self.facts(now))
    }

    fn status(&self, schedule: &Schedule, now: OffsetDateTime) -> (CertificateStatus, bool) {
        schedule.status(&self.facts(now), Some("192.168.1.42".parse().unwrap()), 443)
    }
}

fn failure(code: ErrorCode, retry_after: Option<Duration>) -> LoadFailure {
    LoadFailure {
        error: CertificateError::new(code, "as the test says"),
        retry_after,
    }
}

fn unreachable() -> LoadFailure {
    failure(ErrorCode::LoadRequestException, None)
}

fn is_request(step: &Step) -> bool {
    matches!(step, Step::Request(_))
}

fn wait(step: Step) -> Duration {
    match step {
        Step::Wait(duration) => duration,
        other => panic!("expected a wait, got {other:?}"),
    }
}

fn code(status: &CertificateStatus) -> Option<ErrorCode> {
    status.error.as_ref().map(|error| error.code)
}

mod needs;
mod retries;
