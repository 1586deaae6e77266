//! The page as the box renders it now, read again and patched in, in turns (`turns`).

use super::morph;
use super::turns::Turns;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, DomParser, Headers, RequestInit, Response, SupportedType};

/// The element that carries the tag of the status the page was rendered with.
const TAG_HOLDER: &str = "main[data-status-tag]";
const TAG_ATTRIBUTE: &str = "data-status-tag";

#[derive(Clone)]
pub struct Page(Rc<Inner>);

struct Inner {
    set_reachable: WriteSignal<bool>,
    turns: RefCell<Turns>,
    form_sent: RefCell<Option<Box<dyn Fn()>>>,
}

impl Page {
    pub fn new(set_reachable: WriteSignal<bool>) -> Self {
        Self(Rc::new(Inner {
            set_reachable,
            turns: RefCell::default(),
            form_sent: RefCell::new(None),
        }))
    }

    /// Whether the page shows the status with this tag already.
    pub fn shows_status(&self, tag: &str) -> bool {
        document()
            .query_selector(TAG_HOLDER)
            .ok()
            .flatten()
            .and_then(|main| main.get_attribute(TAG_ATTRIBUTE))
            .is_some_and(|shown| shown == tag)
    }

    /// Whether the page shows the log's last lines (the advanced details are open).
    pub fn shows_log(&self) -> bool {
        document().get_element_by_id("logs").is_some()
    }

    pub fn heard(&self) {
        self.0.set_reachable.set(true);
    }

    pub fn not_heard(&self) {
        self.0.set_reachable.set(false);
    }

    pub fn on_form_sent(&self, then: impl Fn() + 'static) {
        *self.0.form_sent.borrow_mut() = Some(Box::new(then));
    }

    pub fn form_sent(&self) {
        if let Some(then) = self.0.form_sent.borrow().as_ref() {
            then();
        }
    }

    /// Reads the page at its address again and shows what changed, now or in its turn.
    pub fn read_again(&self) {
        if self.0.turns.borrow_mut().want_read() {
            self.read();
        }
    }

    fn read(&self) {
        let page = self.clone();
        leptos::task::spawn_local(async move {
            loop {
                let asked = page.0.turns.borrow_mut().ask();
                let address = window().location().href().unwrap_or_default();
                match fetch_page(&address, &RequestInit::new()).await {
                    Ok((_, fresh)) => page.show(asked, &fresh),
                    Err(()) => page.not_heard(),
                }
                if !page.0.turns.borrow_mut().read_ended() {
                    break;
                }
            }
        });
    }

    /// A form goes: the number of the page it brings back.
    pub fn send(&self) -> u64 {
        self.0.turns.borrow_mut().send()
    }

    /// A form's page came back, or none did: a read wanted meanwhile starts.
    pub fn sent(&self) {
        if self.0.turns.borrow_mut().sent() {
            self.read();
        }
    }

    /// Shows `fresh`, a page as the box rendered it, asked for as number `asked`.
    pub fn show(&self, asked: u64, fresh: &Document) {
        self.heard();
        if !self.0.turns.borrow_mut().may_show(asked) {
            return;
        }
        if morph::page(&document(), fresh).is_err() {
            // Another language: every text changes, the page is loaded anew.
            let _ = window().location().reload();
            return;
        }
        crate::dates::write_in_browser_zone();
    }
}

/// Asks for a page (`init` says how: a form's method and body) and parses the HTML answer,
/// after redirects; gives the address it came from too.
pub async fn fetch_page(address: &str, init: &RequestInit) -> Result<(String, Document), ()> {
    let headers = Headers::new().map_err(drop)?;
    headers.set("Accept", "text/html").map_err(drop)?;
    init.set_headers(&headers);
    let response: Response = JsFuture::from(window().fetch_with_str_and_init(address, init))
        .await
        .map_err(drop)?
        .dyn_into()
        .map_err(drop)?;
    let html = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .is_some_and(|kind| kind.starts_with("text/html"));
    if !response.ok() || !html {
        return Err(());
    }
    let text = JsFuture::from(response.text().map_err(drop)?)
        .await
        .map_err(drop)?
        .as_string()
        .ok_or(())?;
    let parsed = DomParser::new()
        .map_err(drop)?
        .parse_from_string(&text, SupportedType::TextHtml)
        .map_err(drop)?;
    Ok((response.url(), parsed))
}
