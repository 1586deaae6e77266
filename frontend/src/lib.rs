//! The browser entry point: the page is rendered on the box; the browser brings its islands
//! (`#[island]` components in `app`) to life, each from its own element.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

// The islands' entry points are exported from `app`; naming the crate links them in.
pub use app::components::live_page::LivePage;
