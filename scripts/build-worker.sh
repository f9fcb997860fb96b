#!/usr/bin/env bash
# Builds the Cloudflare Worker into build/worker/: index.js (the entry module
# src/worker/entry.js bundled with the wasm-bindgen glue) and index_bg.wasm.
# This is wrangler.toml's [build] command, and `make worker` runs it too.
#
# The steps worker-build would take, minus its entry shim (see entry.js), and
# with the tools scripts/bootstrap.sh installed (the wasm-bindgen CLI matching
# Cargo.lock, esbuild from wrangler's node_modules): nothing is downloaded.
#
# WORKER_FEATURES (default `worker`) and WORKER_OUT (default build/worker)
# build a variant elsewhere: the tests build `worker,panic-probe` into
# build/worker-probe/. The output is replaced only once the build succeeded.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

: "${WASM_BINDGEN_BIN:=$(command -v wasm-bindgen || true)}"
: "${ESBUILD_BIN:=$ROOT/node_modules/esbuild/bin/esbuild}"
for tool in "$WASM_BINDGEN_BIN" "$ESBUILD_BIN"; do
    if [ -z "$tool" ] || [ ! -x "$tool" ]; then
        echo "build-worker: missing tool '${tool:-wasm-bindgen}': run 'make deps' (scripts/bootstrap.sh) first" >&2
        exit 1
    fi
done

features="${WORKER_FEATURES:-worker}"
out="${WORKER_OUT:-build/worker}"
wasm="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/edgeauth.wasm"
echo "build-worker: cargo build --release --features $features (wasm32)"
cargo build --quiet --lib --release --target wasm32-unknown-unknown --features "$features"

mkdir -p "$(dirname "$out")"
stage="$(mktemp -d "$out.XXXXXX")"
chmod 755 "$stage"
trap 'rm -rf "$stage"' EXIT
glue="$stage/glue"
# The abort handler and reset function make a trap recoverable (entry.js).
"$WASM_BINDGEN_BIN" --target module --experimental-reset-state-function --force-enable-abort-handler \
    --out-dir "$glue" --out-name index "$wasm"
grep -q __wbg_call_abort_hook "$glue/index.js" && grep -q __wbg_reinit_scheduled "$glue/index.js" || {
    echo "build-worker: the glue has no reinit after a trap: one panic would fail every later request" >&2
    exit 1
}
# The runtime imports a .wasm module as a compiled WebAssembly.Module; it
# does not take wasm-bindgen's source-phase import syntax.
sed -i 's/^import source wasmModule from/import wasmModule from/' "$glue/index.js"
if grep -q '^import source' "$glue/index.js"; then
    echo "build-worker: the glue's wasm import has a form this script does not know" >&2
    exit 1
fi
cp src/worker/entry.js "$glue/entry.js"
"$ESBUILD_BIN" "$glue/entry.js" --bundle --format=esm --minify --log-level=warning \
    --external:./index_bg.wasm '--external:cloudflare:*' --outfile="$stage/index.js"
mv "$glue/index_bg.wasm" "$stage/"
rm -rf "$glue" "$out"
mv "$stage" "$out"
trap - EXIT
echo "build-worker: $out/index.js, $out/index_bg.wasm ($(du -h "$out/index_bg.wasm" | cut -f1))"
