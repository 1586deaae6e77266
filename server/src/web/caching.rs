//! How long browsers keep what the box serves. The page's script, WASM and styles carry a
//! hash of their content in their names (`scripts/build`, Leptos's `hash-files`), so a
//! browser keeps them for a year and never asks again; a new build has new names. The page
//! itself is the box's state at that moment: never kept.

use app::page_files::PageFiles;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use leptos::prelude::LeptosOptions;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const FOR_EVER: &str = "public, max-age=31536000, immutable";
/// Kept, but asked about again before use: files whose names do not change with them.
const REVALIDATE: &str = "no-cache";
const NEVER: &str = "no-store";

/// Where Leptos reads the hashed names of the page's files: beside the binary.
pub fn hash_file(options: &LeptosOptions) -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|binary| binary.parent().map(PathBuf::from))
        .unwrap_or_default()
        .join(options.hash_file.as_ref())
}

/// The names of the page's files that carry their content's hash (`iotbox.<hash>.wasm`).
#[derive(Clone, Debug, Default)]
pub struct HashedFiles(Arc<HashSet<String>>);

impl HashedFiles {
    /// Those of the build the box serves: none unless it hashed its files.
    pub fn of_build(options: &LeptosOptions) -> Self {
        if options.hash_files {
            Self::read(&hash_file(options), &options.output_name)
        } else {
            Self::default()
        }
    }

    /// From the build's hash file (`js: <hash>` lines), read once at start; none when the
    /// build did not hash its files.
    fn read(hash_file: &Path, output_name: &str) -> Self {
        match std::fs::read_to_string(hash_file) {
            Ok(text) => Self::parse(&text, output_name),
            Err(_) => Self::default(),
        }
    }

    fn parse(text: &str, output_name: &str) -> Self {
        let names = text
            .lines()
            .filter_map(|line| line.split_once(':'))
            .filter_map(|(kind, hash)| {
                let extension = match kind.trim() {
                    "js" => "js",
                    "wasm" => "wasm",
                    "css" => "css",
                    _ => return None,
                };
                Some(format!("{output_name}.{}.{extension}", hash.trim()))
            })
            .collect();
        Self(Arc::new(names))
    }

    /// The hashed name of the page's script, if the build hashed it.
    pub fn script(&self) -> Option<&str> {
        self.ending_with(".js")
    }

    /// The names the page links to, when the build hashed all three.
    pub fn page_files(&self) -> Option<PageFiles> {
        Some(PageFiles {
            script: self.ending_with(".js")?.to_string(),
            wasm: self.ending_with(".wasm")?.to_string(),
            stylesheet: self.ending_with(".css")?.to_string(),
        })
    }

    fn ending_with(&self, extension: &str) -> Option<&str> {
        self.0
            .iter()
            .map(String::as_str)
            .find(|name| name.ends_with(extension))
    }

    /// Whether `path` asks for one of them.
    pub fn holds(&self, path: &str) -> bool {
        path.rsplit('/')
            .next()
            .is_some_and(|name| self.0.contains(name))
    }
}

/// Sets `Cache-Control` where the handler did not: hashed files for ever, the page never,
/// everything else (the status JSON among it) asked about again before each use.
/// `hashed_file`: whether the request asked for one of the build's hashed files.
pub fn mark(hashed_file: bool, response: &mut Response) {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if !is_html && response.headers().contains_key(header::CACHE_CONTROL) {
        return;
    }
    let policy = if is_html {
        NEVER
    } else if response.status().is_success() && hashed_file {
        FOR_EVER
    } else {
        REVALIDATE
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_hashed_names_from_the_hash_file() {
        let hashed = HashedFiles::parse("js: AbC_12\nwasm: XyZ-34\ncss: q1w2\n\n", "iotbox");
        assert!(hashed.holds("/pkg/iotbox.AbC_12.js"));
        assert!(hashed.holds("/pkg/iotbox.XyZ-34.wasm"));
        assert!(hashed.holds("/pkg/iotbox.q1w2.css"));
        assert!(!hashed.holds("/pkg/iotbox.wasm"));
        assert!(!hashed.holds("/favicon.svg"));
        assert!(!HashedFiles::default().holds("/pkg/iotbox.AbC_12.js"));
        assert_eq!(hashed.script(), Some("iotbox.AbC_12.js"));
        assert_eq!(HashedFiles::default().script(), None);
        assert_eq!(
            hashed.page_files(),
            Some(PageFiles {
                script: "iotbox.AbC_12.js".into(),
                wasm: "iotbox.XyZ-34.wasm".into(),
                stylesheet: "iotbox.q1w2.css".into(),
            })
        );
        assert_eq!(
            HashedFiles::parse("js: AbC_12\n", "iotbox").page_files(),
            None
        );
    }
}
