#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), then builds the web app and serves it on http://127.0.0.1:8080/ (loopback only), rebuilding on change.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/tools/node_modules/.bin:$PATH"
exec trunk serve --release --address 127.0.0.1 --port 8080 "$@"
