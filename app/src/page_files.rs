//! The links to the page's script, WASM and stylesheet. Their names carry their content's
//! hash (cargo-leptos `hash-files`); Leptos's `HydrationScripts` and `HashedStylesheet` read
//! those names from the hash file at every render, two file reads a page. The server reads
//! them once at start and provides them as [`PageFiles`]; without it, Leptos's own are used.

use leptos::prelude::*;
use leptos_meta::HashedStylesheet;

/// The hashed file names in the site's `pkg` folder, e.g. `iotbox.<hash>.wasm`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageFiles {
    pub script: String,
    pub wasm: String,
    pub stylesheet: String,
}

/// Leptos's loader (`leptos/src/hydration/hydration_script.js`, 0.8, without the idle
/// deferral the page does not use): imports the script, which loads the WASM and hydrates.
const LOADER: &str = "(function (root, pkg_path, output_name, wasm_output_name) {\
import(`${root}/${pkg_path}/${output_name}.js`).then(mod => {\
mod.default({module_or_path: `${root}/${pkg_path}/${wasm_output_name}.wasm`}).then(() => {\
mod.hydrate();});});})";

#[component]
pub fn PageFileLinks(options: LeptosOptions) -> impl IntoView {
    let Some(files) = use_context::<PageFiles>() else {
        return view! {
            <HydrationScripts options=options.clone() />
            <HashedStylesheet options id="leptos" />
        }
        .into_any();
    };
    let pkg = options.site_pkg_dir.to_string();
    let script = files.script.trim_end_matches(".js").to_string();
    let wasm = files.wasm.trim_end_matches(".wasm").to_string();
    let nonce = use_nonce();
    let crossorigin = nonce
        .as_ref()
        .map(|nonce| nonce.to_string())
        .unwrap_or_default();
    view! {
        <link rel="modulepreload" href=format!("/{pkg}/{script}.js") crossorigin=nonce.clone() />
        <link
            rel="preload"
            href=format!("/{pkg}/{wasm}.wasm")
            r#as="fetch"
            r#type="application/wasm"
            crossorigin=crossorigin
        />
        <script type="module" nonce=nonce>
            {format!("{LOADER}(\"\", {pkg:?}, {script:?}, {wasm:?});")}
        </script>
        <link id="leptos" rel="stylesheet" href=format!("/{pkg}/{}", files.stylesheet) />
    }
    .into_any()
}
