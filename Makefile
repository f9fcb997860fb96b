# edgeauth: build, dev server and tests.
#
#   make dev     install what is missing, build the Worker, run it in workerd
#                on 127.0.0.1:8787 with local KV persisted under .dev/state
#   make test    install what is missing, then run every test suite
#   make deps    only install what is missing (scripts/bootstrap.sh)
#   make worker  build the Worker into build/worker/
#   make pkg     build the npm package into pkg/ (scripts/pkg.sh)
#   make www     build the package and serve the www/ playground on 127.0.0.1:8080
#   make bench   benchmarks vs jose, Hono's middleware and native Rust, sizes, cold start, memory (bench/results/)
#   make fuzz    run the fuzzers (scripts/fuzz.sh)
#   make clean   remove build outputs (keeps node_modules and .dev state)

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory


export WRANGLER_SEND_METRICS := false

# Prints a step header: $(call step,Title)
step = @printf '\n==> %s\n' "$(1)"

.PHONY: help deps deps-dev dev worker pkg www bench bench-smoke test test-rust test-wasm test-js test-worker \
        fuzz fuzz-smoke clean distclean

help:
	@sed -n '3,12p' Makefile | sed 's/^# \{0,1\}//'

deps:
	$(call step,bootstrap: installing what is missing)
	@bash scripts/bootstrap.sh all

# Everything `make dev` needs (no browser).
deps-dev:
	$(call step,bootstrap (dev): installing what is missing)
	@bash scripts/bootstrap.sh dev

pkg:
	$(call step,pkg: the npm package -> pkg/)
	@scripts/pkg.sh

# The npm package as users import it: Node suite (edgeauth/hono in workerd too), TypeScript
# declarations, the playground and examples/; needs `make pkg`.
test-js:
	$(call step,package tests: node --test tests/js/ and tsc --noEmit)
	node --test tests/js/
	node_modules/.bin/tsc -p tests/js/tsconfig.json
	$(call step,playground: headless chromium, screenshot in build/www-screenshot.png)
	node --test tests/www/
	$(call step,examples: the Workers in workerd (wrangler dev), the page in chromium, the script in node)
	node --test tests/examples/

www: deps
	@$(MAKE) pkg
	$(call step,www: the playground on http://127.0.0.1:$${PORT:-8080}/)
	node scripts/serve-www.mjs

worker:
	$(call step,worker: cargo build --release --features worker -> build/worker)
	@bash scripts/build-worker.sh

dev: deps-dev
	@$(MAKE) worker
	$(call step,dev: wrangler dev on 127.0.0.1:$${PORT:-8787})
	@bash scripts/dev.sh

test: deps
	@$(MAKE) test-rust
	@$(MAKE) test-wasm
	@$(MAKE) fuzz-smoke
	@$(MAKE) pkg
	@$(MAKE) test-js
	@$(MAKE) worker
	@$(MAKE) test-worker
	@$(MAKE) bench-smoke
	$(call step,all test suites passed)

# Native unit, integration and doc tests (the worker feature adds the
# Worker's routing tests; it builds natively too).
test-rust:
	$(call step,cargo test (native, --features worker))
	cargo test --features worker
	$(call step,cargo test --features cli --test cli (the operator CLI end to end))
	cargo test --features cli --test cli
	$(call step,cargo test: the package's P-521 module (p521-module/) and the engine without feature p521)
	cargo test --manifest-path p521-module/Cargo.toml --target-dir target
	cargo check --lib --no-default-features

# The library builds for wasm32 on its own, and the binding layer's
# wasm-bindgen tests pass in Node and in headless Chromium.
test-wasm:
	$(call step,cargo build --target wasm32-unknown-unknown --release)
	cargo build --target wasm32-unknown-unknown --release
	$(call step,wasm-bindgen tests: node and headless chromium)
	scripts/wasm-test.sh

# Worker end-to-end tests against wrangler dev (workerd); needs `make worker`.
# Builds the test variant with the panic probe for recovery.test.mjs first.
test-worker:
	$(call step,worker: the panic-probe test build -> build/worker-probe)
	@WORKER_FEATURES=worker,panic-probe WORKER_OUT=build/worker-probe bash scripts/build-worker.sh
	$(call step,worker tests: node --test tests/worker/)
	CI=true node --test tests/worker/

# Benchmarks: native Rust, then the package beside jose, sizes and cold start.
# Tables go to stdout and to bench/results/ (JSON and Markdown).
bench: deps
	@$(MAKE) pkg worker
	$(call step,bench: native Rust)
	cargo bench --bench native
	$(call step,bench: edgeauth (wasm) vs jose, in Node, headless Chromium and workerd)
	node bench/library.mjs
	node bench/library-chromium.mjs
	node bench/library-workerd.mjs
	node bench/size.mjs
	node bench/coldstart.mjs
	$(call step,bench: the gateway in workerd vs a jose peer Worker and a passthrough, under wrk)
	node bench/worker-load.mjs
	$(call step,bench: the gateway's memory over 60 s of fresh tokens)
	node bench/soak.mjs
	$(call step,bench: what exact API-key revocation costs at the gateway)
	node bench/revocation.mjs
	$(call step,bench: a Hono app in workerd, edgeauth/hono vs hono/jwt and hono/jwk, under wrk)
	node bench/hono-load.mjs

# Every benchmark briefly, so they keep working (part of make test).
bench-smoke:
	$(call step,bench smoke: every benchmark briefly)
	BENCH_SMOKE=1 cargo bench --bench native
	BENCH_SMOKE=1 node bench/library.mjs
	BENCH_SMOKE=1 node bench/library-chromium.mjs
	BENCH_SMOKE=1 node bench/library-workerd.mjs
	BENCH_SMOKE=1 node bench/size.mjs
	BENCH_SMOKE=1 node bench/coldstart.mjs
	BENCH_SMOKE=1 node bench/worker-load.mjs
	BENCH_SMOKE=1 node bench/soak.mjs
	BENCH_SMOKE=1 node bench/revocation.mjs
	BENCH_SMOKE=1 node bench/hono-load.mjs

# Long fuzz runs (FUZZ_SECONDS per target, default 600); crashes land in fuzz/artifacts/.
fuzz: deps
	$(call step,fuzz: every target for $${FUZZ_SECONDS:-600}s)
	scripts/fuzz.sh $${FUZZ_SECONDS:-600}

fuzz-smoke:
	$(call step,fuzz smoke: every target briefly)
	scripts/fuzz.sh smoke

clean:
	$(call step,clean)
	cargo clean
	rm -rf build pkg .wrangler fuzz/target

# Also drops node_modules and local dev state (.dev, .dev.vars).
distclean: clean
	rm -rf node_modules .dev .dev.vars
