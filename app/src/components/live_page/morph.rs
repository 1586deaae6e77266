//! Patches the page in place from a fresh render of it: nodes that stay are kept, so focus,
//! the text a person is typing and scroll positions stay; only attributes and texts that
//! changed are written. An island is left to itself, unless the box renders it with other
//! properties: then the fresh one replaces it and comes to life (`window.__hydrateIsland`).

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};

const ISLAND: &str = "LEPTOS-ISLAND";
/// Opened or closed by the person reading: the page's choice, not the box's.
const DETAILS_OPEN: (&str, &str) = ("DETAILS", "open");

/// The fresh page is in another language: only loading it anew shows it.
pub struct OtherLanguage;

pub fn page(current: &Document, fresh: &Document) -> Result<(), OtherLanguage> {
    let lang = |document: &Document| {
        document
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
    };
    if lang(current) != lang(fresh) {
        return Err(OtherLanguage);
    }
    if current.title() != fresh.title() {
        current.set_title(&fresh.title());
    }
    // The body's own attributes are the browser's (`data-hydrated`); its children the box's.
    if let (Some(body), Some(fresh_body)) = (current.body(), fresh.body()) {
        children(current, &body, &fresh_body);
    }
    Ok(())
}

fn children(document: &Document, current: &Node, fresh: &Node) {
    let mut kept = current.first_child();
    let mut next_fresh = fresh.first_child();
    while let Some(wanted) = next_fresh {
        next_fresh = wanted.next_sibling();
        // The first node from here on that can become `wanted`; the ones before it are gone.
        // Only an element is looked for further on: a text or a comment where another kind of
        // node stands is new (looked for, it would take the nodes up to the next one along).
        let mut candidate = kept.clone();
        while let Some(node) = candidate.clone() {
            if same_kind(&node, &wanted) || wanted.dyn_ref::<Element>().is_none() {
                break;
            }
            candidate = node.next_sibling();
        }
        let candidate = candidate.filter(|node| same_kind(node, &wanted));
        match candidate {
            Some(found) => {
                while let Some(gone) = kept.filter(|node| !node.is_same_node(Some(&found))) {
                    kept = gone.next_sibling();
                    let _ = current.remove_child(&gone);
                }
                // Taken first: an island patched is replaced, and has no sibling after.
                kept = found.next_sibling();
                node(document, &found, &wanted);
            }
            None => {
                if let Ok(new) = document.import_node_with_deep(&wanted, true) {
                    if current.insert_before(&new, kept.as_ref()).is_ok() {
                        start_islands_in(&new);
                    }
                }
            }
        }
    }
    while let Some(gone) = kept {
        kept = gone.next_sibling();
        let _ = current.remove_child(&gone);
    }
}

/// Whether `current` can be patched into `fresh`: the same kind of node, and for elements
/// the same tag and `id`.
fn same_kind(current: &Node, fresh: &Node) -> bool {
    if current.node_type() != fresh.node_type() {
        return false;
    }
    match (current.dyn_ref::<Element>(), fresh.dyn_ref::<Element>()) {
        (Some(current), Some(fresh)) => {
            current.tag_name() == fresh.tag_name() && current.id() == fresh.id()
        }
        _ => true,
    }
}

fn node(document: &Document, current: &Node, fresh: &Node) {
    let (Some(element), Some(fresh_element)) =
        (current.dyn_ref::<Element>(), fresh.dyn_ref::<Element>())
    else {
        if current.node_value() != fresh.node_value() {
            current.set_node_value(fresh.node_value().as_deref());
        }
        return;
    };
    if element.tag_name() == ISLAND {
        island(document, element, fresh_element);
        return;
    }
    attributes(element, fresh_element);
    children(document, current, fresh);
}

fn attributes(current: &Element, fresh: &Element) {
    let names = |element: &Element| {
        let list = element.attributes();
        (0..list.length())
            .filter_map(|index| list.item(index))
            .map(|attribute| attribute.name())
            .collect::<Vec<_>>()
    };
    let persons = |name: &str| (current.tag_name().as_str(), name) == DETAILS_OPEN;
    for name in names(current) {
        if !fresh.has_attribute(&name) && !persons(&name) {
            let _ = current.remove_attribute(&name);
        }
    }
    for name in names(fresh) {
        if persons(&name) {
            continue;
        }
        let value = fresh.get_attribute(&name);
        if current.get_attribute(&name) != value {
            let _ = current.set_attribute(&name, value.as_deref().unwrap_or_default());
        }
    }
}

fn island(document: &Document, current: &Element, fresh: &Element) {
    if current.get_attribute("data-props") == fresh.get_attribute("data-props") {
        return;
    }
    let Ok(new) = document.import_node_with_deep(fresh, true) else {
        return;
    };
    if current.replace_with_with_node_1(&new).is_ok() {
        start_islands_in(&new);
    }
}

/// Brings the islands in `added` (a node just put in the page) to life, once the patch is done:
/// an island's code does not run inside the page's own.
fn start_islands_in(added: &Node) {
    let Some(added) = added.dyn_ref::<Element>() else {
        return;
    };
    let mut islands = Vec::new();
    if added.tag_name() == ISLAND {
        islands.push(added.clone());
    } else if let Ok(within) = added.query_selector_all("leptos-island") {
        islands
            .extend((0..within.length()).filter_map(|index| within.item(index)?.dyn_into().ok()));
    }
    if islands.is_empty() {
        return;
    }
    leptos::prelude::set_timeout(
        move || {
            let start = js_sys::Reflect::get(&leptos::prelude::window(), &"__hydrateIsland".into())
                .ok()
                .and_then(|start| start.dyn_into::<js_sys::Function>().ok());
            for island in islands.iter().filter(|island| island.is_connected()) {
                if let Some(start) = &start {
                    let _ = start.call1(&wasm_bindgen::JsValue::NULL, island);
                }
            }
        },
        std::time::Duration::ZERO,
    );
}
