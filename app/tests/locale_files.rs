//! Every language has every text: the same keys as English, each translated (not empty), with
//! the same values to fill in and the same markup. The generated `i18n` module would otherwise
//! fall back to English for a missing key, and a user would meet it on the page.
//!
//! A text that depends on a number has one key per CLDR plural form its language uses
//! (`days_left_one`, `days_left_other`), and the plain key in a language with one form only
//! (Vietnamese). Those compare by their base key; forms need `_other`, which every language has.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

const REFERENCE: &str = "en";
const TRANSLATIONS: [&str; 2] = ["it", "vi"];

const PLURAL_FORMS: [&str; 6] = ["_zero", "_one", "_two", "_few", "_many", "_other"];

/// `days_left` from `days_left_one`; other keys as they are.
fn base_key(key: &str) -> &str {
    PLURAL_FORMS
        .iter()
        .find_map(|form| key.strip_suffix(form))
        .unwrap_or(key)
}

/// The texts of `locale` by base key: each key's forms, or its one text.
fn texts_by_base(locale: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut by_base: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (key, text) in texts(locale) {
        by_base
            .entry(base_key(&key).to_string())
            .or_default()
            .push((key, text));
    }
    by_base
}

fn texts(locale: &str) -> BTreeMap<String, String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("locales/{locale}.json"));
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let mut texts = BTreeMap::new();
    flatten("", &json, &mut texts);
    texts
}

fn flatten(prefix: &str, value: &Value, into: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(children) => {
            for (key, child) in children {
                let key = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&key, child, into);
            }
        }
        Value::String(text) => {
            into.insert(prefix.to_string(), text.clone());
        }
        other => panic!("{prefix}: a text is a string, not {other}"),
    }
}

/// The `{{ values }}` and `<tags>` of a text, in order of first appearance, sorted.
fn holes(text: &str) -> Vec<String> {
    let mut holes = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let end = rest[start..]
            .find("}}")
            .map_or(rest.len(), |end| start + end + 2);
        holes.push(rest[start..end].split_whitespace().collect::<String>());
        rest = &rest[end..];
    }
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |end| start + end + 1);
        holes.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    holes.sort();
    holes
}

#[test]
fn each_language_has_every_key_and_no_other() {
    let reference = texts_by_base(REFERENCE);
    assert!(reference.len() > 200, "the English texts are read");
    for locale in TRANSLATIONS {
        let translated = texts_by_base(locale);
        let missing: Vec<_> = reference
            .keys()
            .filter(|k| !translated.contains_key(*k))
            .collect();
        let surplus: Vec<_> = translated
            .keys()
            .filter(|k| !reference.contains_key(*k))
            .collect();
        assert!(missing.is_empty(), "{locale} lacks {missing:?}");
        assert!(
            surplus.is_empty(),
            "{locale} has keys English has not: {surplus:?}"
        );
    }
}

#[test]
fn each_translation_fills_the_same_values_and_markup() {
    let reference = texts_by_base(REFERENCE);
    for locale in TRANSLATIONS {
        for (base, forms) in texts_by_base(locale) {
            // Every form fills what English's last form (`_other`, or the one text) fills.
            let english_forms = &reference[&base];
            let (_, english) = english_forms
                .iter()
                .find(|(key, _)| key.ends_with("_other"))
                .unwrap_or(&english_forms[0]);
            for (key, text) in forms {
                assert!(!text.trim().is_empty(), "{locale}: {key} is empty");
                assert_eq!(holes(&text), holes(english), "{locale}: {key}");
            }
        }
    }
}

#[test]
fn error_codes_and_addresses_stay_as_they_are() {
    // Users quote codes in support tickets; the addresses are where the fix is.
    let reference = texts(REFERENCE);
    let kept = [
        "DNS_PROBE_FINISHED_NXDOMAIN",
        "https://www.odoo.com",
        "8.8.8.8",
    ];
    for locale in TRANSLATIONS {
        let translated = texts(locale);
        for (key, text) in &reference {
            for word in kept.iter().filter(|word| text.contains(*word)) {
                assert!(
                    translated[key].contains(word),
                    "{locale}: {key} lost {word}"
                );
            }
        }
    }
}

#[test]
fn the_holes_of_a_text_are_found() {
    assert_eq!(
        holes("failed (<code>{{ failure }}</code>) {{days}}"),
        ["</code>", "<code>", "{{days}}", "{{failure}}"]
    );
}
