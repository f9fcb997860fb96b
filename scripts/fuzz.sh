#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ on the nightly toolchain.
#
#   scripts/fuzz.sh smoke      every target for FUZZ_SMOKE_SECONDS (default 20) each: part of `make test`
#   scripts/fuzz.sh [SECONDS]  every target for SECONDS (default 600) each: `make fuzz`
#
# Seed corpora are written from real tokens and keys first (tests/fuzz_seeds.rs).
# A crash stops the run with libFuzzer's report; the input is saved under
# fuzz/artifacts/<target>/ and becomes a regression test in tests/attacks.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  smoke) seconds="${FUZZ_SMOKE_SECONDS:-20}" ;;
  "") seconds=600 ;;
  *) seconds="$1" ;;
esac

echo "fuzz: writing seed corpora"
cargo test --quiet --test fuzz_seeds >/dev/null

# The list is read on its own, so that a failing `cargo fuzz list` stops the
# run instead of giving an empty loop that reports every target clean; and it
# must name exactly the targets in fuzz/fuzz_targets/.
targets="$(cargo +nightly fuzz list --fuzz-dir fuzz)"
expected="$(ls fuzz/fuzz_targets/ | sed -n 's/\.rs$//p' | sort)"
if [ -z "$expected" ] || [ "$(sort <<<"$targets")" != "$expected" ]; then
  echo "fuzz: cargo fuzz list gave [$(echo $targets)], expected the targets in fuzz/fuzz_targets/: [$(echo $expected)]"
  exit 1
fi
echo "fuzz: $(wc -l <<<"$expected") targets"

for target in $targets; do
  echo "fuzz: $target for ${seconds}s"
  log="fuzz/target/$target.log"
  mkdir -p fuzz/target
  # libFuzzer's exit status is what counts; its log is kept whole and only
  # the lines that matter are shown.
  status=0
  cargo +nightly fuzz run --fuzz-dir fuzz "$target" -- \
    -max_total_time="$seconds" -max_len=20000 -print_final_stats=0 >"$log" 2>&1 || status=$?
  grep -E '^(Done [0-9]+ runs|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)|panicked' "$log" || true
  [ "$status" -eq 0 ] || { echo "fuzz: $target FAILED (exit $status; log $log, input in fuzz/artifacts/$target)"; exit 1; }
done
echo "fuzz: all targets ran clean"
