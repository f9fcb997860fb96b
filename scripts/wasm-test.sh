#!/usr/bin/env bash
# The binding layer's wasm-bindgen tests (src/js/tests.rs) in Node and in
# headless Chromium (Debian's chromium and chromium-driver).
set -euo pipefail
cd "$(dirname "$0")/.."
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
echo "wasm tests: node"
wasm-pack test --node -- --lib --features js
echo "wasm tests: headless chromium"
wasm-pack test --headless --chrome -- --lib --features browser-tests
