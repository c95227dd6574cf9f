#!/usr/bin/env bash
# The browser benchmark (bench/web.mjs): builds what it needs, then prints its table and writes it
# to bench/results/web.md.
#   scripts/bench-web.sh [--posts 10000,100000,300000] [--runs 1]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/tools/node_modules/.bin:$PATH"
cargo build --release --locked -p permafrost-cli
# Always built: the table must describe this commit's app (incremental, so fast when current).
trunk build --release
exec node bench/web.mjs "$@"
