#!/usr/bin/env bash
# Builds the npm package into pkg/ (build output): the crate with feature `js`
# and without `p521` for wasm32, wasm-bindgen glue for Node (synchronous ESM)
# and for browsers and Workers (`web`); the separate P-521 module
# (p521-module/, `web` only: Node signs with node:crypto) into pkg/p521/;
# binaryen's wasm-opt on both, and the hand-written wrapper in npm/.
# Then links node_modules/edgeauth to pkg/ so tests import it by name.
set -euo pipefail
cd "$(dirname "$0")/.."

wasm=target/wasm32-unknown-unknown/pkg/edgeauth.wasm
p521=target/wasm32-unknown-unknown/release/edgeauth_p521.wasm
echo "pkg: cargo build --features js --no-default-features (wasm32, profile pkg)"
cargo build --quiet --lib --profile pkg --target wasm32-unknown-unknown --no-default-features --features js
echo "pkg: cargo build p521-module (wasm32, release)"
cargo build --quiet --lib --release --target wasm32-unknown-unknown \
  --manifest-path p521-module/Cargo.toml --target-dir target

rm -rf pkg && mkdir -p pkg
echo "pkg: wasm-bindgen (node, web, p521)"
wasm-bindgen --target experimental-nodejs-module --out-dir pkg/node --out-name edgeauth "$wasm"
wasm-bindgen --target web --out-dir pkg/web --out-name edgeauth "$wasm"
wasm-bindgen --target web --out-dir pkg/p521 --out-name edgeauth_p521 "$p521"
rm -f pkg/node/package.json

wasm_opt=node_modules/binaryen/bin/wasm-opt
# optimize FILE: wasm-opt -Oz in place, until it shrinks no more, when binaryen is installed.
optimize() {
  [ -x "$wasm_opt" ] || return 0
  "$wasm_opt" -Oz --converge --strip-producers --strip-target-features --enable-bulk-memory \
    --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals "$1" -o "$1"
}
echo "pkg: wasm-opt -Oz --converge"
optimize pkg/node/edgeauth_bg.wasm
cp pkg/node/edgeauth_bg.wasm pkg/web/edgeauth_bg.wasm
optimize pkg/p521/edgeauth_p521_bg.wasm

cp npm/*.mjs npm/*.d.ts npm/package.json npm/README.md pkg/
ln -sfn ../pkg node_modules/edgeauth
echo "pkg: built $(du -h pkg/node/edgeauth_bg.wasm | cut -f1) wasm; node_modules/edgeauth -> pkg/"
