//! Times written in the browser, in its own time zone, by its `Intl.DateTimeFormat`: the
//! browser already carries CLDR's patterns for every language, so the bundle carries none.

use super::shown::Shown;
use crate::i18n::Locale;
use js_sys::{Array, Date, Intl::DateTimeFormat, Object, Reflect};
use leptos_i18n::Locale as _;
use wasm_bindgen::JsValue;

pub fn written(timestamp: &str, shown: Shown, locale: Locale) -> String {
    let date = Date::new(&JsValue::from_str(timestamp));
    if date.get_time().is_nan() {
        return timestamp.to_string();
    }
    let options = Object::new();
    let fields: &[(&str, &str)] = match shown {
        Shown::Date => &[("year", "numeric"), ("month", "long"), ("day", "numeric")],
        Shown::DateAndTime => &[
            ("year", "numeric"),
            ("month", "long"),
            ("day", "numeric"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            // The zone is stated, as the server states UTC.
            ("timeZoneName", "short"),
        ],
        Shown::TimeOfDay => &[
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("second", "2-digit"),
            ("hourCycle", "h23"),
        ],
    };
    for (field, value) in fields {
        // Setting a property on a plain object cannot fail.
        let _ = Reflect::set(&options, &(*field).into(), &(*value).into());
    }
    let locales = Array::of1(&locale.as_str().into());
    let format = DateTimeFormat::new(&locales, &options).format();
    format
        .call1(&JsValue::UNDEFINED, &date)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| timestamp.to_string())
}
