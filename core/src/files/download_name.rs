//! The names of the files the homepage offers for download, after the box and the time, so
//! that several boxes' files, or one box's over days, never share a name.

use time::OffsetDateTime;

/// `iotbox-<box name>-<YYYYMMDD-HHMMSS><ending>`, in UTC, with only safe characters; `ending`
/// is e.g. `.log`.
pub fn download_name(box_name: &str, now: OffsetDateTime, ending: &str) -> String {
    let name: String = box_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let now = now.to_offset(time::UtcOffset::UTC);
    format!(
        "iotbox-{name}-{:04}{:02}{:02}-{:02}{:02}{:02}{ending}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_download_after_the_box_and_the_time() {
        let at = time::macros::datetime!(2026-11-25 14:03:09 UTC);
        assert_eq!(
            download_name("shop box", at, ".log"),
            "iotbox-shop-box-20261125-140309.log"
        );
        assert_eq!(
            download_name("shop/box", at, "-support.txt"),
            "iotbox-shop-box-20261125-140309-support.txt"
        );
    }
}
