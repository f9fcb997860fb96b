#!/usr/bin/env bash
# Builds the Cloudflare Worker into build/worker/ (shim.mjs + index.js +
# index_bg.wasm) with worker-build, release profile, cargo feature `worker`.
# This is wrangler.toml's [build] command, and `make worker` runs it too.
#
# worker-build would download wasm-bindgen, esbuild and wasm-opt on its own;
# we point it at the copies scripts/bootstrap.sh installed instead (the
# wasm-bindgen CLI matching Cargo.lock, esbuild from wrangler's node_modules,
# binaryen's wasm-opt from npm), so the build never downloads anything.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

: "${WASM_BINDGEN_BIN:=$(command -v wasm-bindgen || true)}"
: "${ESBUILD_BIN:=$ROOT/node_modules/esbuild/bin/esbuild}"
: "${WASM_OPT_BIN:=$ROOT/node_modules/binaryen/bin/wasm-opt}"
export WASM_BINDGEN_BIN ESBUILD_BIN WASM_OPT_BIN

for tool in "$WASM_BINDGEN_BIN" "$ESBUILD_BIN" "$WASM_OPT_BIN"; do
    if [ -z "$tool" ] || [ ! -x "$tool" ]; then
        echo "build-worker: missing tool '${tool:-wasm-bindgen}': run 'make deps' (scripts/bootstrap.sh) first" >&2
        exit 1
    fi
done
command -v worker-build >/dev/null 2>&1 || {
    echo "build-worker: worker-build not found: run 'make deps' first" >&2
    exit 1
}

# worker-build passes arguments it does not know (here: --features worker)
# through to `cargo build`.
exec worker-build --release --features worker "$@"
