# Sourced by the other scripts: puts the project's build tools on PATH.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$ROOT/scripts/node_modules/.bin:$HOME/.cargo/bin:$PATH"
