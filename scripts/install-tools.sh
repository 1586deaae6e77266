#!/usr/bin/env bash
# Installs what building and testing the box need, where it is missing; safe to run again.
# Usage: scripts/install-tools.sh [--tests | --bench | --pi ARCH...]
#   --tests: also what the tests use: Chromium, Firefox ESR with geckodriver, libfaketime,
#            strace, qemu-system-x86 with debootstrap, and the end-to-end test packages
#   --bench: also what scripts/bench-page measures with: Debian's nginx, wrk and Chromium,
#            and Lighthouse
#   --pi:    also what building and running the box for Raspberry Pi boards takes (arm64,
#            armhf): the Rust targets, Debian's cross compilers and qemu-user-static, and
#            systemd's tools for checking the package
set -euo pipefail
cd "$(dirname "$0")/.."

GECKODRIVER_VERSION=0.37.1
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' Cargo.toml)

step() { printf '\n== %s\n' "$*"; }
apt_install() { # Debian packages, as root or through sudo
  local as_root=(); [ "$(id -u)" = 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "$@"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# scripts/build runs wasm-bindgen; its version must be the one the page's crate links.
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: one of its locked dependency versions is no longer on the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# The rest of what scripts/build uses, from npm, in seconds: wasm-opt (binaryen; Debian's,
# version 108, builds a WASM that fails to hydrate), esbuild, Lightning CSS, browserslist.
if ! (cd scripts && npm ls --silent >/dev/null 2>&1); then
  step "installing the build's npm packages (wasm-opt, esbuild, Lightning CSS)"
  (cd scripts && npm ci --no-audit --no-fund)
fi

if [ "${1:-}" = "--tests" ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
  # The clock tests run the box under libfaketime.
  ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1 || missing+=(faketime)
  # The read-only root test watches every file the box writes.
  command -v strace >/dev/null || missing+=(strace)
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing Debian's ${missing[*]}"
    apt_install "${missing[@]}"
  fi
  # The service check boots a Debian machine (debootstrap, in a cpio archive) under qemu.
  missing=()
  command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v cpio >/dev/null || missing+=(cpio)
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing Debian's ${missing[*]}"
    apt_install --no-install-recommends "${missing[@]}"
  fi
  # A real Prometheus scrapes the box in server/tests/metrics.rs; without its node exporter.
  if ! command -v prometheus >/dev/null; then
    step "installing Debian's prometheus"
    apt_install --no-install-recommends prometheus
  fi
  # Firefox is driven through WebDriver; geckodriver comes from crates.io.
  if [ "$(geckodriver --version 2>/dev/null | head -1)" != "geckodriver $GECKODRIVER_VERSION" ]; then
    step "installing geckodriver $GECKODRIVER_VERSION (about 1 minute)"
    cargo install --locked geckodriver --version "$GECKODRIVER_VERSION"
  fi
  if ! (cd end2end && npm ls --silent >/dev/null 2>&1); then
    step "installing the end-to-end test packages"
    # Playwright's own browser download cannot work here; Debian's chromium is used instead.
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi

if [ "${1:-}" = "--bench" ]; then
  missing=()
  # Plain nginx: in Debian 12, nginx-light is only nginx plus the echo module.
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v wrk >/dev/null || missing+=(wrk)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing Debian's ${missing[*]}"
    apt_install "${missing[@]}"
  fi
  if ! (cd scripts/bench && npm ls --silent >/dev/null 2>&1); then
    step "installing Lighthouse (from npm; it drives Debian's Chromium)"
    (cd scripts/bench && npm ci --no-audit --no-fund)
  fi
fi

if [ "${1:-}" = "--pi" ]; then
  shift
  missing=()
  for arch in "$@"; do
    source scripts/pi-arch.sh "$arch"
    if ! rustup target list --installed | grep -qx "$PI_TRIPLE"; then
      step "adding the $PI_TRIPLE target"
      rustup target add "$PI_TRIPLE"
    fi
    command -v "$PI_GCC" >/dev/null || missing+=("$PI_GCC_PACKAGE")
    command -v "$PI_QEMU" >/dev/null || missing+=(qemu-user-static)
  done
  # The package check verifies and scores the unit, and runs the maintainer scripts.
  command -v systemd-analyze >/dev/null || missing+=(systemd)
  command -v deb-systemd-helper >/dev/null || missing+=(init-system-helpers)
  if [ ${#missing[@]} -gt 0 ]; then
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    step "installing Debian's ${missing[*]}"
    apt_install "${missing[@]}"
  fi
fi
