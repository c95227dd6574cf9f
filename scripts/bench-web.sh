#!/usr/bin/env bash
# The browser benchmark (bench/web.mjs): builds what it needs, then prints its table and writes it
# to bench/results/web.md.
#   scripts/bench-web.sh [--posts 10000,100000,300000] [--runs 1] [--media]
# With no arguments, the full run: every size, and --media (tab memory while scrolling media on
# an archive with 2 GB of media, about 3 minutes more). With arguments, exactly what they ask.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/tools/node_modules/.bin:$PATH"
cargo build --release --locked -p permafrost-cli
# Always built: the table must describe this commit's app (incremental, so fast when current).
trunk build --release
if [ $# -eq 0 ]; then
  set -- --media
fi
exec node bench/web.mjs "$@"
