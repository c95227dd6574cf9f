#!/usr/bin/env bash
# The browser benchmark (bench/web.mjs): builds what it needs, then prints its table.
#   scripts/bench-web.sh [--posts 10000,100000] [--runs 3]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/tools/node_modules/.bin:$PATH"
cargo build --release --locked -p permafrost-cli
[ -f dist/index.html ] || trunk build --release
exec node bench/web.mjs "$@"
