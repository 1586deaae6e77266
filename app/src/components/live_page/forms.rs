//! The page's forms, sent without leaving the page: the same request a browser without
//! JavaScript sends (the box then sends it back to the page, a refusal in its address), and
//! the page it gets back patched in. A download and a file upload stay the browser's own.

use super::refresh::{fetch_page, Page};
use crate::components::forms::form_message::SAVED_PARAMETER;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    FormData, HtmlFormElement, HtmlInputElement, RequestInit, SubmitEvent, UrlSearchParams,
};

/// Marks a form the browser sends itself (its answer is a file).
const PLAIN: &str = "data-plain";
/// Leptos puts a form's refusal in the address it sends the browser back to.
const REFUSAL_PARAMETER: &str = "__err=";
/// Fields emptied after each try (`forms::field`).
const SECRET: &str = "input[data-secret]";
/// A form's name (`forms::form_message`): saved, the page comes back saying so.
const NAME: &str = "data-form";

pub fn send_in_place(page: Page) {
    let sent = {
        let page = page.clone();
        Closure::<dyn Fn(SubmitEvent)>::new(move |event: SubmitEvent| {
            let Some(form) = event
                .target()
                .and_then(|target| target.dyn_into::<HtmlFormElement>().ok())
            else {
                return;
            };
            if form.has_attribute(PLAIN) || form.enctype() == "multipart/form-data" {
                return;
            }
            let Some(fields) = FormData::new_with_form(&form)
                .and_then(|data| UrlSearchParams::new_with_str_sequence_sequence(&data))
                .ok()
            else {
                return;
            };
            event.prevent_default();
            leptos::task::spawn_local(send(page.clone(), form, fields));
        })
    };
    let _ = document().add_event_listener_with_callback("submit", sent.as_ref().unchecked_ref());
    // The back button after a filter (a GET form) shows the page at that address again.
    let back = Closure::<dyn Fn()>::new(move || page.read_again());
    let _ = window().add_event_listener_with_callback("popstate", back.as_ref().unchecked_ref());
    // Both for the page's whole life.
    sent.forget();
    back.forget();
}

async fn send(page: Page, form: HtmlFormElement, fields: UrlSearchParams) {
    let init = RequestInit::new();
    let get = form.method().eq_ignore_ascii_case("get");
    let address = if get {
        let action = form.action();
        let path = action.split(['?', '#']).next().unwrap_or_default();
        format!("{path}?{}", String::from(fields.to_string()))
    } else {
        init.set_method("POST");
        init.set_body(&fields);
        // The box sends the browser back where it came from: to this page, saying "Saved."
        // above this form if it saves it.
        if let Some(back) = form
            .get_attribute(NAME)
            .and_then(|name| here_saying_saved(&name))
        {
            init.set_referrer(&back);
        }
        form.action()
    };
    let asked = page.send();
    let answer = fetch_page(&address, &init).await;
    let Ok((answered_at, fresh)) = answer else {
        page.sent();
        // Not a page back (a refusal of the request itself): the browser shows the answer.
        let _ = form.submit();
        return;
    };
    // Sent back with no refusal, the box leaves an empty query behind.
    let at = answered_at.strip_suffix('?').unwrap_or(&answered_at);
    let history = window().history();
    if let Ok(history) = history {
        let here = window().location().href().unwrap_or_default();
        if get && at != here {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(at));
        } else if at != here {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(at));
        }
    }
    page.show(asked, &fresh);
    // Saved: the fields show what the box holds now. Refused: they keep what was typed,
    // but for secrets.
    if !get && !at.contains(REFUSAL_PARAMETER) {
        form.reset();
    } else if let Ok(secrets) = form.query_selector_all(SECRET) {
        for secret in (0..secrets.length()).filter_map(|index| secrets.item(index)) {
            if let Ok(input) = secret.dyn_into::<HtmlInputElement>() {
                input.set_value("");
            }
        }
    }
    page.sent();
    page.form_sent();
}

/// This page's address with `?saved=` naming the form `name`.
fn here_saying_saved(name: &str) -> Option<String> {
    let here = web_sys::Url::new(&window().location().href().ok()?).ok()?;
    here.search_params().set(SAVED_PARAMETER, name);
    Some(here.href())
}
