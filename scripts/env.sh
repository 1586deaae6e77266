# Sourced by the other scripts: puts the project's build tools on PATH, and says its version.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$ROOT/scripts/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The box's version, the workspace's in Cargo.toml: the packages carry it.
IOTBOX_VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ROOT/Cargo.toml" | head -1)
