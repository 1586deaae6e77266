//! The one way the box writes a time for people and scripts: RFC 3339, in UTC, to the second.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub fn rfc3339(time: OffsetDateTime) -> String {
    to_the_second(time)
        .format(&Rfc3339)
        .unwrap_or_else(|_| time.to_string())
}

/// `time` in UTC without its fraction of a second.
pub fn to_the_second(time: OffsetDateTime) -> OffsetDateTime {
    let utc = time.to_offset(time::UtcOffset::UTC);
    utc.replace_nanosecond(0).unwrap_or(utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn writes_utc_to_the_second() {
        assert_eq!(
            rfc3339(datetime!(2026-11-25 15:03:09.75 +1)),
            "2026-11-25T14:03:09Z"
        );
    }
}
