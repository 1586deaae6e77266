//! Times written in the browser, in its own time zone, by its `Intl.DateTimeFormat`: the
//! browser already carries CLDR's patterns for every language, so the bundle carries none.

use super::page_times::{replaced, TIMES_WRITTEN_ID};
use super::shown::Shown;
use js_sys::{Array, Date, Intl::DateTimeFormat, Object, Reflect};
use leptos::prelude::document;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Node};

/// Writes every time the server wrote into the page (in UTC) anew, in the browser's zone:
/// in the page's texts and in its elements' titles.
pub fn write_in_browser_zone() {
    let document = document();
    let Some(listed) = document
        .get_element_by_id(TIMES_WRITTEN_ID)
        .and_then(|list| list.get_attribute("data-times"))
    else {
        return;
    };
    let lang = document
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .unwrap_or_default();
    let Ok(listed) = js_sys::JSON::parse(&listed) else {
        return;
    };
    let times = Array::from(&listed)
        .iter()
        .filter_map(|entry| {
            let entry = Array::from(&entry);
            let text = entry.get(0).as_string()?;
            let timestamp = entry.get(1).as_string()?;
            let shown = Shown::from_name(&entry.get(2).as_string()?)?;
            let anew = written(&timestamp, shown, &lang);
            Some((text, anew))
        })
        .collect::<Vec<_>>();
    if let Some(body) = document.body() {
        rewrite(&body, &times);
    }
}

fn rewrite(node: &Node, times: &[(String, String)]) {
    if let Some(element) = node.dyn_ref::<Element>() {
        if let Some(title) = element.get_attribute("title") {
            if let Some(anew) = replaced(&title, times) {
                let _ = element.set_attribute("title", &anew);
            }
        }
        let mut child = node.first_child();
        while let Some(current) = child {
            rewrite(&current, times);
            child = current.next_sibling();
        }
    } else if node.node_type() == Node::TEXT_NODE {
        if let Some(anew) = node.node_value().and_then(|text| replaced(&text, times)) {
            node.set_node_value(Some(&anew));
        }
    }
}

fn written(timestamp: &str, shown: Shown, lang: &str) -> String {
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
    let locales = Array::of1(&lang.into());
    let format = DateTimeFormat::new(&locales, &options).format();
    format
        .call1(&JsValue::UNDEFINED, &date)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| timestamp.to_string())
}
