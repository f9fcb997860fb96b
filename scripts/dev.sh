#!/usr/bin/env bash
# Starts the edgeauth Worker locally in workerd via `wrangler dev`, on
# 127.0.0.1:${PORT:-8787}, with KV and other local state persisted under
# .dev/state. Used by `make dev` (which installs and builds first).
#
# First run only: generates .dev.vars (git-ignored) with ADMIN_TOKEN_HASH and
# KEY_ENCRYPTION_KEY, and saves the matching admin token to .dev/admin-token
# (mode 600). An existing .dev.vars is never overwritten; delete it (and
# .dev/admin-token) to get new secrets.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT="${PORT:-8787}"
TOKEN_FILE=".dev/admin-token"

mkdir -p .dev/state
chmod 700 .dev

if [ -f .dev.vars ]; then
    echo "[dev] .dev.vars exists: keeping it"
else
    echo "[dev] generating .dev.vars and $TOKEN_FILE"
    node scripts/dev-vars.mjs .dev.vars "$TOKEN_FILE" --dashboard
fi

if [ -f "$TOKEN_FILE" ]; then
    echo "[dev] admin token (from $TOKEN_FILE): $(cat "$TOKEN_FILE")"
else
    echo "[dev] WARNING: $TOKEN_FILE is missing; the admin token for the existing .dev.vars is unknown." >&2
    echo "[dev]          Delete .dev.vars and run 'make dev' again to generate a new pair." >&2
fi
echo "[dev] starting wrangler dev on http://127.0.0.1:$PORT (state: .dev/state)"

export CI=true WRANGLER_SEND_METRICS=false
exec npx wrangler dev --ip 127.0.0.1 --port "$PORT" --persist-to .dev/state \
    --var "ISSUER:http://127.0.0.1:$PORT"
