//! Generates the `i18n` module from `locales/*.json`: one type-checked key per text of the
//! page, so that a key the code uses and a locale lacks fails the build.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("no OUT_DIR")?).join("i18n");
    // Texts with values are also needed as plain strings (attributes, titles).
    let options = ParseOptions::default().interpolate_display(true);
    let config = Config::new("en")?.add_locale("it")?.add_locale("vi")?;
    let translations = TranslationsInfos::parse(config.parse_options(options))?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out)?;
    Ok(())
}
