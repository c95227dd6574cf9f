#!/usr/bin/env bash
# Installs every tool Permafrost needs to build and test, skipping what is already there at the
# right version. Safe to run repeatedly; a reused machine finishes in seconds.
# Versions are pinned: see ARCHITECTURE.md ("Toolchain") for why each one.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0

log() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  log "installing trunk $TRUNK_VERSION (about 8 minutes on a cold machine)"
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

# wasm-bindgen-cli must equal the wasm-bindgen crate pinned in Cargo.toml. `--locked` fails for this
# version (a locked dependency is missing from the registry), so it is deliberately not used.
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
fi

# Debian's binaryen and the wasm-opt crate are too old for wasm-bindgen 0.2.130 output. The npm
# tools (binaryen, playwright-core, jszip for the browser benchmark's baseline) are reinstalled
# whenever tools/package-lock.json changes.
stamp=tools/node_modules/.permafrost-lock
if [ ! -x tools/node_modules/.bin/wasm-opt ] || ! cmp -s tools/package-lock.json "$stamp"; then
  log "installing binaryen $BINARYEN_VERSION and the test tools from npm into tools/"
  (cd tools && npm ci --no-audit --no-fund)
  cp tools/package-lock.json "$stamp"
fi
tools/node_modules/.bin/wasm-opt --version | grep -q "version ${BINARYEN_VERSION%%.*}"

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  log "installing chromium and chromium-driver from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi
# A Japanese font, so that the Japanese interface's screenshots show its text (the tests read the
# DOM and pass without it).
if ! fc-list 2>/dev/null | grep -qi "IPAGothic\|IPAexGothic\|Noto Sans CJK"; then
  log "installing a Japanese font (fonts-ipafont-gothic) from Debian"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq fonts-ipafont-gothic >/dev/null; } ||
    log "no Japanese font: Japanese screenshots will show boxes"
fi
log "tools ready"
