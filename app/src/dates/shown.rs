//! How much of a time the page shows.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// "25 January 2027".
    Date,
    /// "25 January 2027 at 14:03 UTC": the zone is always stated.
    DateAndTime,
    /// "14:03:07", for log lines.
    TimeOfDay,
}

impl Shown {
    /// Its name in the page, for the browser (`browser`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Date => "date",
            Self::DateAndTime => "date_and_time",
            Self::TimeOfDay => "time_of_day",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Date, Self::DateAndTime, Self::TimeOfDay]
            .into_iter()
            .find(|shown| shown.name() == name)
    }
}
