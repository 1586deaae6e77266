//! The browser entry point: hydrates the server-rendered homepage.

// The page's view types nest deeper than the default limit once monomorphised for hydration.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // The page hydrates once loaded (`app::page_files`): `data-hydrated` on the body says it
    // is live, set after hydration's own queued work.
    leptos::prelude::set_timeout(
        || {
            if let Some(body) = leptos::prelude::document().body() {
                let _ = body.set_attribute("data-hydrated", "");
            }
        },
        std::time::Duration::ZERO,
    );
}
