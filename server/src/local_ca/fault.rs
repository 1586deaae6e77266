//! The faults the local certificate authority can play, so that tests can show the box
//! survives each of them. Written as short phrases, the same on the command line
//! (`--fault "status 503"`) and on the control endpoint (`PUT /control/fault`).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Fault {
    /// Answers as the vendor does.
    #[default]
    None,
    /// Answers this HTTP status, with a `Retry-After` in seconds if given.
    Status { code: u16, retry_after: Option<u64> },
    /// Accepts the request and never answers.
    Hang,
    /// Answers correctly after this delay.
    Slow(Duration),
    /// Answers 200 with an empty result, as an older server did for a database that is not
    /// eligible.
    Empty,
    /// Refuses in words, as the vendor does (`{"result": {"error": "<reason>"}}`), with
    /// [`REFUSAL_REASON`].
    Refused,
    /// A result whose certificate is not valid PEM.
    GarbagePem,
    /// A certificate with the private key of another one.
    KeyMismatch,
    /// A certificate that expired yesterday.
    Expired,
    /// A valid certificate already due for renewal (5 of its 60 days left), as a server that
    /// hands out the one it has until it renews its own.
    Due,
    /// A certificate for another subject than the one announced.
    WrongCn,
    /// A certificate valid only from this long after now: the server's clock ahead of the
    /// box's.
    Ahead(Duration),
    /// A maintenance page in HTML, with status 200.
    Html,
    /// A body of 2 MiB.
    Oversized,
    /// Drops the connection in the middle of the answer.
    Reset,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("none"),
            Self::Status {
                code,
                retry_after: None,
            } => write!(f, "status {code}"),
            Self::Status {
                code,
                retry_after: Some(seconds),
            } => write!(f, "status {code} retry-after {seconds}"),
            Self::Hang => f.write_str("hang"),
            Self::Slow(delay) => write!(f, "slow {}", humantime::format_duration(*delay)),
            Self::Empty => f.write_str("empty"),
            Self::Refused => f.write_str("refused"),
            Self::GarbagePem => f.write_str("garbage-pem"),
            Self::KeyMismatch => f.write_str("key-mismatch"),
            Self::Expired => f.write_str("expired"),
            Self::Due => f.write_str("due"),
            Self::WrongCn => f.write_str("wrong-cn"),
            Self::Ahead(by) => write!(f, "ahead {}", humantime::format_duration(*by)),
            Self::Html => f.write_str("html"),
            Self::Oversized => f.write_str("oversized"),
            Self::Reset => f.write_str("reset"),
        }
    }
}

/// What the `refused` fault says: one of the vendor's eligibility conditions.
pub const REFUSAL_REASON: &str = "The subscription of this database is not in progress";

const USAGE: &str = "expected one of: none, status <code> [retry-after <seconds>], hang, \
                     slow <duration>, empty, refused, garbage-pem, key-mismatch, expired, due, wrong-cn, \
                     ahead <duration>, html, oversized, reset";

impl FromStr for Fault {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let bad = || format!("unknown fault \"{text}\": {USAGE}");
        Ok(match words.as_slice() {
            ["none"] => Self::None,
            ["status", code] => Self::Status {
                code: status_code(code).ok_or_else(bad)?,
                retry_after: None,
            },
            ["status", code, "retry-after", seconds] => Self::Status {
                code: status_code(code).ok_or_else(bad)?,
                retry_after: Some(seconds.parse().map_err(|_| bad())?),
            },
            ["hang"] => Self::Hang,
            ["slow", delay] => Self::Slow(humantime::parse_duration(delay).map_err(|_| bad())?),
            ["empty"] => Self::Empty,
            ["refused"] => Self::Refused,
            ["garbage-pem"] => Self::GarbagePem,
            ["key-mismatch"] => Self::KeyMismatch,
            ["expired"] => Self::Expired,
            ["due"] => Self::Due,
            ["wrong-cn"] => Self::WrongCn,
            ["ahead", by] => Self::Ahead(humantime::parse_duration(by).map_err(|_| bad())?),
            ["html"] => Self::Html,
            ["oversized"] => Self::Oversized,
            ["reset"] => Self::Reset,
            _ => return Err(bad()),
        })
    }
}

fn status_code(text: &str) -> Option<u16> {
    text.parse().ok().filter(|code| (100..=599).contains(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fault_reads_back_from_its_phrase() {
        for fault in [
            Fault::None,
            Fault::Status {
                code: 404,
                retry_after: None,
            },
            Fault::Status {
                code: 503,
                retry_after: Some(120),
            },
            Fault::Hang,
            Fault::Slow(Duration::from_millis(500)),
            Fault::Empty,
            Fault::Refused,
            Fault::GarbagePem,
            Fault::KeyMismatch,
            Fault::Expired,
            Fault::Due,
            Fault::WrongCn,
            Fault::Ahead(Duration::from_secs(120)),
            Fault::Html,
            Fault::Oversized,
            Fault::Reset,
        ] {
            assert_eq!(fault.to_string().parse::<Fault>(), Ok(fault));
        }
        assert!("status 9000".parse::<Fault>().is_err());
        assert!("explode"
            .parse::<Fault>()
            .unwrap_err()
            .contains("expected one of"));
    }
}
