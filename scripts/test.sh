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
# The tests that generate large archives read PERMAFROST_SLOW_TESTS themselves
# (permafrost_synth::slow_tests): full size when it is set, smaller otherwise.
cargo test --locked

echo "== browser tests" >&2
scripts/test-web.sh
