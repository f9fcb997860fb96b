// A panic traps the wasm instance. The wasm-bindgen glue, built with its
// abort handler (scripts/build-worker.sh), starts a fresh instance on the
// next call into wasm, so one panic must not fail the requests after it.
// No input reaches a panic, so this runs the test build in
// build/worker-probe/ (cargo feature panic-probe), where GET /__panic panics
// at once and GET /__panic/after-io panics after a KV read, in the executor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PROBE_MAIN, startWorker } from './harness.mjs';

let worker;
before(async () => {
  worker = await startWorker({ main: PROBE_MAIN });
});
after(async () => {
  await worker?.stop();
});

/** A probe's status; a hang fails the test after 10 s instead of blocking it. */
async function probe(path) {
  return (await fetch(`${worker.url}${path}`, { signal: AbortSignal.timeout(10_000) })).status;
}

async function servesNormally() {
  assert.equal((await fetch(`${worker.url}/health`)).status, 200);
  const refused = await fetch(`${worker.url}/api/x`);
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).error, 'invalid_token');
}

test('a panic in the first poll is a 500, and the requests after it are served', async () => {
  await servesNormally();
  assert.equal(await probe('/__panic'), 500);
  await servesNormally();
  assert.equal(await probe('/__panic'), 500);
  await servesNormally();
});

test('a panic after I/O is a 500 too, and the requests after it are served', async () => {
  // The trap is thrown in the executor's microtask, so the request's promise
  // never settles: workerd sees that and answers 500 at once.
  assert.equal(await probe('/__panic/after-io'), 500);
  await servesNormally();
});
