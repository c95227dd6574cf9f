#!/usr/bin/env bash
# Runs every test Permafrost has, installing the tools it needs first (see scripts/setup.sh):
#   1. the native crates: unit, integration and doc tests (`cargo test`);
#   2. the web app in headless Chromium: wasm-bindgen-test unit tests, a release build with Trunk,
#      and the end-to-end suite against that build (scripts/test-web.sh).
# Set PERMAFROST_SLOW_TESTS=1 to add the slow cases (large generated archives); CI does.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/tools/node_modules/.bin:$PATH"

echo "== native tests" >&2
if [ -n "${PERMAFROST_SLOW_TESTS:-}" ]; then
  # The slow cases are #[ignore]d (cargo lists them as ignored); this runs them too.
  cargo test --locked -- --include-ignored
else
  cargo test --locked
fi

echo "== browser tests" >&2
scripts/test-web.sh
