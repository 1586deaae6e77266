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
