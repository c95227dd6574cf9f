#!/usr/bin/env bash
# Runs every browser test of the web app:
#   1. wasm-bindgen-test unit tests in headless Chromium (tests/*.rs; flags in webdriver.json),
#   2. `trunk build --release` into dist/ (and the bundle sizes, gzip),
#   3. the end-to-end suite (tests/e2e/*.test.mjs, node:test + playwright-core) against dist/
#      served on 127.0.0.1 by Python's static server.
# Screenshots land in test-results/ (git-ignored; CI keeps them as artifacts).
# Set SKIP_UNIT=1 or SKIP_BUILD=1 to skip a step while iterating.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$PATH"
step() { printf '\033[1mtest-web:\033[0m %s\n' "$*" >&2; }
start=$SECONDS

if [ -z "${SKIP_UNIT:-}" ]; then
  step "wasm-bindgen-test in headless Chromium"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
  WASM_BINDGEN_TEST_TIMEOUT=120 \
    cargo test -p permafrost-web --target wasm32-unknown-unknown
fi

if [ -z "${SKIP_BUILD:-}" ]; then
  step "trunk build --release"
  trunk build --release
fi

step "bundle sizes (gzip -9)"
main_total=0
for f in dist/*.wasm dist/*.js dist/*.css; do
  size=$(gzip -9c "$f" | wc -c)
  printf '  %-48s %8d bytes raw %8d gzip\n' "$(basename "$f")" "$(stat -c%s "$f")" "$size" >&2
  case "$(basename "$f")" in
    worker*) ;;
    *) main_total=$((main_total + size)) ;;
  esac
done
printf '  main bundle (wasm + JS + CSS, without the worker): %d bytes gzip (budget 250000)\n' "$main_total" >&2
if [ "$main_total" -gt 250000 ]; then
  echo "test-web: the main bundle is over its 250 KB gzip budget" >&2
  exit 1
fi

step "end-to-end tests (playwright-core, headless Chromium)"
# Some tests generate archives with `permafrost synth`.
cargo build --locked -p permafrost-cli
mkdir -p test-results
node --test --test-concurrency=1 --test-reporter=spec tests/e2e/

step "all browser tests passed in $((SECONDS - start)) s"
