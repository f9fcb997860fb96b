#!/usr/bin/env bash
# Builds the npm package into pkg/ (build output): the crate with feature `js`
# for wasm32, wasm-bindgen glue for Node (synchronous ESM) and for browsers and
# Workers (`web`), binaryen's wasm-opt, and the hand-written wrapper in npm/.
# Then links node_modules/edgeauth to pkg/ so tests import it by name.
set -euo pipefail
cd "$(dirname "$0")/.."

wasm=target/wasm32-unknown-unknown/pkg/edgeauth.wasm
echo "pkg: cargo build --features js (wasm32, profile pkg)"
cargo build --quiet --lib --profile pkg --target wasm32-unknown-unknown --features js

rm -rf pkg && mkdir -p pkg
echo "pkg: wasm-bindgen (node, web)"
wasm-bindgen --target experimental-nodejs-module --out-dir pkg/node --out-name edgeauth "$wasm"
wasm-bindgen --target web --out-dir pkg/web --out-name edgeauth "$wasm"
rm -f pkg/node/package.json

wasm_opt=node_modules/binaryen/bin/wasm-opt
if [ -x "$wasm_opt" ]; then
  echo "pkg: wasm-opt -Oz"
  "$wasm_opt" -Oz --strip-producers --strip-target-features --enable-bulk-memory \
    --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    pkg/node/edgeauth_bg.wasm -o pkg/node/edgeauth_bg.wasm
  cp pkg/node/edgeauth_bg.wasm pkg/web/edgeauth_bg.wasm
fi

cp npm/*.mjs npm/*.d.ts npm/package.json npm/README.md pkg/
ln -sfn ../pkg node_modules/edgeauth
echo "pkg: built $(du -h pkg/node/edgeauth_bg.wasm | cut -f1) wasm; node_modules/edgeauth -> pkg/"
