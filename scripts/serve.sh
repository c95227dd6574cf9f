#!/usr/bin/env bash
# Builds the web app and serves it on http://127.0.0.1:8080/ (loopback only), rebuilding on change.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$PATH"
exec trunk serve --release --address 127.0.0.1 --port 8080 "$@"
