// The Worker's entry module: the runtime calls `fetch` (and, on the cron
// trigger, `scheduled`) here, and each goes straight to the wasm export of
// the same name (src/worker/mod.rs).
// scripts/build-worker.sh bundles it with the wasm-bindgen glue.
//
// A plain object, not worker-build's shim, whose WorkerEntrypoint class behind
// Proxies made the runtime construct an object per request (about 5% of the
// gateway's CPU).
//
// Recovery after a panic lives in the glue: built with wasm-bindgen's
// --force-enable-abort-handler, every call into wasm that traps marks the
// instance terminated and runs the worker crate's abort hook, which schedules
// a reinit, and the next call starts a fresh instance. The request that
// panicked gets a 500, and so may others in flight on the old instance; the
// ones after it are served (tests/worker/recovery.test.mjs).
import * as wasm from './index.js';

// The Durable Object classes the wasm defines, bound in wrangler.toml:
// ACCOUNTS (src/worker/accounts_object.rs) and KEY_STATUS
// (src/worker/key_status_object.rs).
export { AccountsObject, KeyStatusObject } from './index.js';

export default {
  fetch(request, env, ctx) {
    return wasm.fetch(request, env, ctx);
  },
  // The cron trigger ([triggers] in wrangler.toml): signing-key rotation and
  // the deletion of retired keys (src/worker/signing.rs). Awaited here, not
  // left to waitUntil, so a failure marks the run as failed.
  async scheduled(controller, env, ctx) {
    await wasm.scheduled(env);
  },
};
