//! The links to the page's script, WASM and stylesheet. Their names carry their content's
//! hash (`scripts/build`, Leptos's `hash-files`); Leptos's `HydrationScripts` and
//! `HashedStylesheet` read those names from the hash file at every render, two file reads a
//! page. The server reads them once at start and provides them as [`PageFiles`]; without it,
//! Leptos's own are used. The page's islands come to life once it is loaded (see [`LOADER`]).

use leptos::prelude::*;
use leptos_meta::HashedStylesheet;

/// The hashed file names in the site's `pkg` folder, e.g. `iotbox.<hash>.wasm`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageFiles {
    pub script: String,
    pub wasm: String,
    pub stylesheet: String,
}

/// Leptos's islands loader (`leptos/src/hydration/island_script.js`, 0.8), started once the
/// page is loaded and the browser idle: the script and the WASM never hold back what the user
/// reads, which is whole and usable (plain forms) without them. Hence no `preload` links
/// either: on a slow phone they would compete with the page. Each `<leptos-island>` is
/// brought to life by its own entry point; `__hydrateIsland` does it again for an island the
/// page swapped in (`components::live_page`). `data-hydrated` on the body says the page is live.
const LOADER: &str = "(function (root, pkg_path, output_name, wasm_output_name) {\
const hydrate = () => import(`${root}/${pkg_path}/${output_name}.js`).then(mod => {\
mod.default({module_or_path: `${root}/${pkg_path}/${wasm_output_name}.wasm`}).then(() => {\
mod.hydrate();\
const island = el => { const start = mod[el.dataset.component]; if (start) start(el); };\
window.__hydrateIsland = island;\
document.querySelectorAll(\"leptos-island\").forEach(island);\
setTimeout(() => document.body.setAttribute(\"data-hydrated\", \"\"));});});\
const idle = () => \"requestIdleCallback\" in window ? requestIdleCallback(hydrate, {timeout: 2000}) : setTimeout(hydrate);\
if (document.readyState === \"complete\") idle(); else addEventListener(\"load\", idle, {once: true});})";

#[component]
pub fn PageFileLinks(options: LeptosOptions) -> impl IntoView {
    let Some(files) = use_context::<PageFiles>() else {
        return view! {
            <HydrationScripts options=options.clone() islands=true />
            <HashedStylesheet options id="leptos" />
        }
        .into_any();
    };
    let pkg = options.site_pkg_dir.to_string();
    let script = files.script.trim_end_matches(".js").to_string();
    let wasm = files.wasm.trim_end_matches(".wasm").to_string();
    let nonce = use_nonce();
    view! {
        <script type="module" nonce=nonce>
            {format!("{LOADER}(\"\", {pkg:?}, {script:?}, {wasm:?});")}
        </script>
        <link id="leptos" rel="stylesheet" href=format!("/{pkg}/{}", files.stylesheet) />
    }
    .into_any()
}
