#!/usr/bin/env bash
# Fuzzes every parser of untrusted bytes with cargo-fuzz (libFuzzer, nightly): the containers (zip,
# tar, targz), outbox.json, actor.json, collections, the CSV exports, post HTML and the query
# language. See fuzz/ and README.md ("Fuzzing").
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# 20 seconds per target by default (what CI runs, about 3 minutes in all); `scripts/fuzz.sh 600`
# is a long run. It installs cargo-fuzz when it is missing, writes the seed corpora from the
# fixtures (fuzz/seeds.py), builds every target once, replays the kept reproducers
# (fuzz/regressions/<target>-*.bin), then fuzzes each target in turn. It fails on the first crash,
# timeout (10 s for one input) or out-of-memory (2 GB), printing the reproducer's path and how to
# run it again. Inputs libFuzzer finds interesting stay in fuzz/corpus/ (ignored by git), so a
# later run starts from them.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
ALL_TARGETS=(zip tar targz outbox actor collection csv html query)

seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${ALL_TARGETS[@]}")
case $seconds in
  '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2 ;;
esac

log() { printf '\033[1mfuzz:\033[0m %s\n' "$*" >&2; }
start=$(date +%s)

if ! cargo +nightly --version >/dev/null 2>&1; then
  log "installing the nightly toolchain"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  log "installing cargo-fuzz $CARGO_FUZZ_VERSION (about 2 minutes)"
  cargo install --locked "cargo-fuzz@$CARGO_FUZZ_VERSION"
fi

log "seeding fuzz/corpus/ from the fixtures"
python3 fuzz/seeds.py

# No sanitizer: the project's crates forbid unsafe code, and without ASan each target runs about
# twice as many inputs. Debug assertions and overflow checks are on.
log "building the targets"
cargo +nightly fuzz build --sanitizer none
bin=fuzz/target/x86_64-unknown-linux-gnu/release

failed() {
  local target=$1 log_file=$2 unit
  tail -n 40 "$log_file" >&2
  # A new crash is written to fuzz/artifacts/<target>/; a kept reproducer is the last one run.
  unit=$(grep -o 'Test unit written to .*' "$log_file" | tail -n 1 | sed 's/Test unit written to //' || true)
  [ -n "$unit" ] || unit=$(grep -o '^Running: .*' "$log_file" | tail -n 1 | sed 's/Running: //' || true)
  log "FAILED: $target (log: $log_file)"
  if [ -n "$unit" ]; then
    log "reproducer: $unit"
    log "run it again: cargo +nightly fuzz run --sanitizer none $target $unit"
  fi
  exit 1
}

for target in "${targets[@]}"; do
  [ -x "$bin/$target" ] || { log "no such target: $target (${ALL_TARGETS[*]})"; exit 2; }
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  log_file="fuzz/artifacts/$target.log"
  kept=(fuzz/regressions/"$target"-*.bin)
  if [ -e "${kept[0]}" ]; then
    "$bin/$target" -rss_limit_mb=2048 -timeout=10 "${kept[@]}" >"$log_file" 2>&1 \
      || failed "$target" "$log_file"
  fi
  "$bin/$target" "fuzz/corpus/$target" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="fuzz/artifacts/$target/" -print_final_stats=1 \
    >"$log_file" 2>&1 || failed "$target" "$log_file"
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log_file" | grep -o '[0-9]*$' || echo '?')
  corpus=$(find "fuzz/corpus/$target" -type f | wc -l)
  log "$target: clean, $runs inputs in ${seconds} s, corpus $corpus"
done
log "all clean in $(( $(date +%s) - start )) s"
