#!/usr/bin/env bash
# Installs what edgeauth's build, dev server and tests need, and only what is
# missing. Safe to run again and again: every step checks first and says what
# it found. Called by the Makefile (`make deps`, `make dev`, `make test`).
#
# Usage: scripts/bootstrap.sh [GROUP...]
#   rust     wasm32 target, nightly toolchain (cargo-fuzz)
#   system   clang (ring's C code for wasm32), via apt-get
#   tools    cargo-installed CLIs, pinned: wasm-bindgen-cli (= Cargo.lock, and
#            its wasm-bindgen-test-runner), cargo-fuzz
#   npm      node_modules from package-lock.json (wrangler, esbuild,
#            binaryen's wasm-opt, jose, typescript, playwright-core)
#   browser  chromium + chromium-driver (browser tests), via apt-get
#   dev      rust system tools npm            (what `make dev` needs)
#   all      dev + browser                    (default; what `make test` needs)
#
# Everything comes from the ordinary package registries (crates.io, npm,
# Debian, rustup); nothing downloads prebuilt binaries from anywhere else.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Pinned versions of the cargo-installed tools. wasm-bindgen-cli is not pinned
# here: it must equal the wasm-bindgen library version in Cargo.lock.
CARGO_FUZZ_VERSION="0.13.2"

log() { printf '[bootstrap] %s\n' "$*"; }
warn() { printf '[bootstrap] WARNING: %s\n' "$*" >&2; }
die() {
    printf '[bootstrap] ERROR: %s\n' "$*" >&2
    exit 1
}

# --- helpers -----------------------------------------------------------------

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

APT_UPDATED=0
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install manually: $*"
    if [ "$APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        APT_UPDATED=1
    fi
    log "apt-get install -y $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# First x.y.z found in the first line a command prints, or nothing.
version_of() {
    "$@" 2>/dev/null | head -n 1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1 || true
}

# cargo_tool CRATE VERSION BINARY VERSION-COMMAND...
# Installs CRATE@VERSION with `cargo install --locked` unless VERSION-COMMAND
# already reports VERSION.
cargo_tool() {
    local crate="$1" want="$2" bin="$3"
    shift 3
    local have=""
    if command -v "$bin" >/dev/null 2>&1; then
        have="$(version_of "$@")"
    fi
    if [ "$have" = "$want" ]; then
        log "$crate $want: already installed"
        return 0
    fi
    if [ -n "$have" ]; then
        log "$crate: found $have, want $want: reinstalling"
    else
        log "$crate $want: not installed: installing (this compiles; it takes minutes)"
    fi
    if ! cargo install --locked --force "$crate" --version "=$want"; then
        # A tool's own Cargo.lock can name a dependency version the registry no
        # longer serves (yanked or withdrawn); then --locked cannot resolve.
        # Fall back to a fresh resolution of the same pinned tool version.
        warn "cargo install --locked $crate@$want failed; retrying without --locked"
        cargo install --force "$crate" --version "=$want"
    fi
    have="$(version_of "$@")"
    [ "$have" = "$want" ] || die "$crate: installed, but '$*' reports '$have', not $want"
}

# Version of a package in Cargo.lock (the first entry with that name).
lock_version() {
    awk -v name="$1" '
        $0 == "[[package]]" { in_pkg = 1; found = 0; next }
        in_pkg && $0 == "name = \"" name "\"" { found = 1; next }
        found && /^version = / { gsub(/"/, "", $3); print $3; exit }
    ' Cargo.lock
}

# --- groups ------------------------------------------------------------------

ensure_rust() {
    command -v rustup >/dev/null 2>&1 || die "rustup not found: install Rust with rustup first"
    if rustup target list --installed | grep -x 'wasm32-unknown-unknown' >/dev/null; then
        log "rust target wasm32-unknown-unknown: present"
    else
        log "rustup target add wasm32-unknown-unknown"
        rustup target add wasm32-unknown-unknown
    fi
    if rustup toolchain list | grep '^nightly' >/dev/null; then
        log "rust nightly toolchain: present"
    else
        log "rustup toolchain install nightly (cargo-fuzz needs it)"
        rustup toolchain install nightly --profile minimal
    fi
}

ensure_system() {
    if command -v clang >/dev/null 2>&1; then
        log "clang: present ($(version_of clang --version))"
    else
        log "clang: missing (ring needs it to build for wasm32)"
        apt_install clang
    fi
}

ensure_browser() {
    local missing=()
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
    # wrk loads the Worker in the benchmarks (make bench, and its smoke run).
    command -v wrk >/dev/null 2>&1 || missing+=(wrk)
    if [ "${#missing[@]}" -eq 0 ]; then
        log "chromium + chromedriver + wrk: present"
    else
        log "browser packages missing: ${missing[*]}"
        apt_install "${missing[@]}"
    fi
}

ensure_tools() {
    command -v cargo >/dev/null 2>&1 || die "cargo not found"
    [ -f Cargo.lock ] || {
        log "Cargo.lock missing: cargo generate-lockfile"
        cargo generate-lockfile
    }
    local wbg
    wbg="$(lock_version wasm-bindgen)"
    [ -n "$wbg" ] || die "wasm-bindgen not found in Cargo.lock"
    cargo_tool wasm-bindgen-cli "$wbg" wasm-bindgen wasm-bindgen --version
    cargo_tool cargo-fuzz "$CARGO_FUZZ_VERSION" cargo-fuzz cargo fuzz --version
}

ensure_npm() {
    command -v node >/dev/null 2>&1 || die "node not found (Node.js >= 20.3 is needed)"
    command -v npm >/dev/null 2>&1 || die "npm not found"
    [ -f package-lock.json ] || die "package-lock.json missing (run 'npm install' once and commit it)"
    local stamp=node_modules/.edgeauth-npm-stamp
    if [ -f "$stamp" ] && [ ! package-lock.json -nt "$stamp" ] && [ ! package.json -nt "$stamp" ]; then
        log "node_modules: up to date with package-lock.json"
    else
        log "npm ci (node_modules missing or older than package-lock.json)"
        npm ci --no-audit --no-fund
        touch "$stamp"
    fi
    local f
    for f in node_modules/.bin/wrangler node_modules/esbuild/bin/esbuild node_modules/binaryen/bin/wasm-opt; do
        [ -e "$f" ] || die "$f missing after npm ci"
    done
}

# --- main --------------------------------------------------------------------

run_group() {
    case "$1" in
    rust) ensure_rust ;;
    system) ensure_system ;;
    tools) ensure_tools ;;
    npm) ensure_npm ;;
    browser) ensure_browser ;;
    dev)
        ensure_rust
        ensure_system
        ensure_tools
        ensure_npm
        ;;
    all)
        run_group dev
        ensure_browser
        ;;
    *) die "unknown group '$1' (rust, system, tools, npm, browser, dev, all)" ;;
    esac
}

[ "$#" -gt 0 ] || set -- all
for group in "$@"; do
    log "== $group"
    run_group "$group"
done
log "done"
