#!/usr/bin/env bash
# The binding layer's wasm-bindgen tests (src/js/tests.rs) in Node and in
# headless Chromium (Debian's chromium and chromium-driver).
#
# This is what `wasm-pack test --node` / `--headless --chrome` do, minus
# wasm-pack's `--tests`: only the library's own tests are built for wasm32,
# so the native integration tests in tests/ are not compiled for it.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="${WASM_BINDGEN_TEST_RUNNER:-wasm-bindgen-test-runner}"
echo "wasm tests: node"
cargo test --target wasm32-unknown-unknown --lib --features js
echo "wasm tests: headless chromium"
cargo test --target wasm32-unknown-unknown --lib --features browser-tests
