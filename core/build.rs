//! Stamps the binary with a day it cannot run before: when this build script first ran in
//! its target folder, or `SOURCE_DATE_EPOCH` when set (so that a reproducible build gives the
//! same binary). A clock earlier than that is certainly wrong (a box without a
//! battery-backed clock starts in 1970). Re-stamping at every build would rebuild the box
//! every time; a day that is too early only makes the check a little more lenient.

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
