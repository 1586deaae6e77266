//! Stamps the binary with the day it was built: a clock earlier than that is certainly wrong
//! (a box without a battery-backed clock starts in 1970). `SOURCE_DATE_EPOCH`, when set, is
//! that day, so that a reproducible build gives the same binary.

use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    let built = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|seconds| seconds.parse::<u64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |since| since.as_secs())
        });
    println!("cargo:rustc-env=IOTBOX_BUILT_AT={built}");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    println!("cargo:rerun-if-changed=build.rs");
}
