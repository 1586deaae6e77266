//! Times written on the server, in UTC, with ICU4X's CLDR patterns for the page's language.

use super::shown::Shown;
use crate::i18n::Locale;
use icu_calendar::Gregorian;
use icu_datetime::fieldsets::{T, YMD, YMDT};
use icu_datetime::input::DateTime;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_locale_core::Locale as IcuLocale;
use icu_time::ZonedDateTime;
use leptos_i18n::Locale as _;
use std::sync::OnceLock;

/// Written as `shown`; the timestamp as it is if it is not RFC 3339 (nothing is lost).
pub fn written(timestamp: &str, shown: Shown, locale: Locale) -> String {
    try_written(timestamp, shown, locale).unwrap_or_else(|| timestamp.to_string())
}

/// One language's formatters, made once: a page writes several times, on every render.
struct Formatters {
    date: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    date_and_time: FixedCalendarDateTimeFormatter<Gregorian, YMDT>,
    time_of_day: FixedCalendarDateTimeFormatter<Gregorian, T>,
}

impl Formatters {
    fn new(locale: Locale) -> Option<Self> {
        let preferences = || {
            IcuLocale::try_from_str(locale.as_str())
                .ok()
                .map(Into::into)
        };
        Some(Self {
            date: FixedCalendarDateTimeFormatter::try_new(preferences()?, YMD::long()).ok()?,
            date_and_time: FixedCalendarDateTimeFormatter::try_new(
                preferences()?,
                YMD::long().with_time_hm(),
            )
            .ok()?,
            time_of_day: FixedCalendarDateTimeFormatter::try_new(preferences()?, T::hms()).ok()?,
        })
    }

    fn of(locale: Locale) -> Option<&'static Self> {
        static ALL: OnceLock<Vec<(Locale, Option<Formatters>)>> = OnceLock::new();
        ALL.get_or_init(|| {
            Locale::get_all()
                .iter()
                .map(|&locale| (locale, Self::new(locale)))
                .collect()
        })
        .iter()
        .find(|(each, _)| *each == locale)
        .and_then(|(_, formatters)| formatters.as_ref())
    }
}

fn try_written(timestamp: &str, shown: Shown, locale: Locale) -> Option<String> {
    let zoned = ZonedDateTime::try_offset_only_from_str(timestamp, Gregorian).ok()?;
    // The box sends UTC; an offset would mean the time is not what this page says.
    if zoned.zone.to_seconds() != 0 {
        return None;
    }
    let at = DateTime {
        date: zoned.date,
        time: zoned.time,
    };
    let formatters = Formatters::of(locale)?;
    Some(match shown {
        Shown::Date => formatters.date.format(&at).to_string(),
        Shown::DateAndTime => format!("{} UTC", formatters.date_and_time.format(&at)),
        Shown::TimeOfDay => formatters.time_of_day.format(&at).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_writes_dates_its_own_way() {
        let at = "2027-01-25T14:03:07Z";
        assert_eq!(written(at, Shown::Date, Locale::en), "January 25, 2027");
        assert_eq!(written(at, Shown::Date, Locale::it), "25 gennaio 2027");
        assert_eq!(written(at, Shown::Date, Locale::vi), "25 tháng 1, 2027");
        // Each language's clock: 12 hours in English, 24 in Italian and Vietnamese.
        for (locale, time) in [
            (Locale::en, "2:03\u{202f}PM"),
            (Locale::it, "14:03"),
            (Locale::vi, "14:03"),
        ] {
            let text = written(at, Shown::DateAndTime, locale);
            assert!(text.contains(time) && text.ends_with(" UTC"), "{text}");
        }
        assert_eq!(written(at, Shown::TimeOfDay, Locale::it), "14:03:07");
    }

    #[test]
    fn a_time_it_cannot_read_is_shown_as_it_is() {
        assert_eq!(written("soon", Shown::Date, Locale::en), "soon");
        assert_eq!(
            written("2027-01-25T14:03:07+01:00", Shown::Date, Locale::en),
            "2027-01-25T14:03:07+01:00"
        );
    }
}
