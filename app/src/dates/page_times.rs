//! The times written into one page, noted while it renders and listed at its end, so the
//! browser finds each one and writes it anew in its own zone (`browser`).

use super::shown::Shown;
use leptos::prelude::*;
use std::sync::{Arc, Mutex};

/// The id of the element that lists the times a page was written with.
pub const TIMES_WRITTEN_ID: &str = "times-written";

/// The times written into one page: (text, timestamp, how much of it).
#[derive(Clone, Default)]
pub struct WrittenTimes(Arc<Mutex<Vec<(String, String, Shown)>>>);

/// Sets a page up to note its times.
pub fn provide_written_times() {
    provide_context(WrittenTimes::default());
}

/// Notes that `text` is `timestamp` written as `shown`, when a page is being written.
pub fn note(text: &str, timestamp: &str, shown: Shown) {
    if let Some(times) = use_context::<WrittenTimes>() {
        if let Ok(mut times) = times.0.lock() {
            let noted = (text.to_string(), timestamp.to_string(), shown);
            if !times.contains(&noted) {
                times.push(noted);
            }
        }
    }
}

/// `text` with each time in it written anew, in one pass; `None` if that changes nothing.
/// Where two times start at the same place, the longer is the one written there: a date and
/// time holds its date.
#[cfg(any(feature = "hydrate", test))]
pub fn replaced(text: &str, times: &[(String, String)]) -> Option<String> {
    let mut anew = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(next) = rest.chars().next() {
        let here = times
            .iter()
            // An empty text is no time, and found everywhere.
            .filter(|(written, _)| !written.is_empty() && rest.starts_with(written.as_str()))
            .max_by_key(|(written, _)| written.len());
        match here {
            Some((written, rewritten)) => {
                anew.push_str(rewritten);
                rest = &rest[written.len()..];
                // Written the same in the browser's zone: nothing to touch (and repaint).
                changed |= written != rewritten;
            }
            None => {
                anew.push(next);
                rest = &rest[next.len_utf8()..];
            }
        }
    }
    changed.then_some(anew)
}

/// The times this page was written with, for the browser: rendered last, once every other
/// part of the page has written its own. A JSON list of `[text, timestamp, shown]`.
#[component]
pub fn TimesWritten() -> impl IntoView {
    let listed = move || {
        let times = use_context::<WrittenTimes>()
            .and_then(|times| times.0.lock().ok().map(|times| times.clone()))
            .unwrap_or_default();
        let entries = times
            .iter()
            .map(|(text, timestamp, shown)| (text, timestamp, shown.name()))
            .collect::<Vec<_>>();
        leptos::serde_json::to_string(&entries).unwrap_or_default()
    };
    view! { <template id=TIMES_WRITTEN_ID data-times=listed></template> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_time_is_written_anew_once_wherever_a_sentence_put_it() {
        let times = [
            // Longest first, as the browser sorts them: a date and time holds its date.
            (
                "5 December 2026 at 17:03 UTC".to_string(),
                "5 December 2026 at 18:03 CET".to_string(),
            ),
            ("5 December 2026".to_string(), "6 December 2026".to_string()),
        ];
        assert_eq!(
            replaced(
                "Valid until 5 December 2026 · checked 5 December 2026 at 17:03 UTC.",
                &times
            ),
            Some("Valid until 6 December 2026 · checked 5 December 2026 at 18:03 CET.".into())
        );
        // One pass: a time written anew is not read again as another ("6 December…").
        assert_eq!(
            replaced("5 December 2026 at 17:03 UTC", &times),
            Some("5 December 2026 at 18:03 CET".into())
        );
        assert_eq!(replaced("Ngày 5 tháng 12", &times), None);
        // A browser in UTC writes what the server wrote: the text is left alone.
        let same = [("5 December 2026".to_string(), "5 December 2026".to_string())];
        assert_eq!(replaced("Valid until 5 December 2026", &same), None);
        assert_eq!(replaced("", &times), None);
        let nothing = [(String::new(), "anything".to_string())];
        assert_eq!(replaced("Valid until", &nothing), None);
    }

    #[test]
    fn a_page_lists_each_time_it_wrote_once() {
        let owner = Owner::new();
        owner.set();
        provide_written_times();
        note("5 December 2026", "2026-12-05T17:03:00Z", Shown::Date);
        note("5 December 2026", "2026-12-05T17:03:00Z", Shown::Date);
        note("17:03:00", "2026-12-05T17:03:00Z", Shown::TimeOfDay);
        let noted = use_context::<WrittenTimes>()
            .unwrap()
            .0
            .lock()
            .unwrap()
            .clone();
        assert_eq!(noted.len(), 2);
    }
}
