// Memory soak: the edgeauth gateway in workerd (Miniflare) at saturation for
// 60 s (3 s with BENCH_SMOKE=1), every request carrying an HS256 token not
// sent before (bench/tokens.lua cycles through a file of pre-signed ones),
// so every verify misses every cache. The isolate's JS heap and its wasm
// memory are read through workerd's inspector (bench/inspector.mjs: no route
// in the Worker) after a full GC: before any load, after a warm-up with
// tokens of its own (the start), and at the end. Every cache is bounded, so
// the end must not exceed the start by more than the slack below: exits 1
// if it does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report, SMOKE } from './harness.mjs';
import { executionContext, inspector, memory } from './inspector.mjs';
import { CONNECTIONS, load, THREADS } from './wrk.mjs';
import { echoOrigin, edgeauthWorker, freshTokens } from './workers.mjs';

const SECONDS = SMOKE ? 3 : 60;
const WARM_UP_SECONDS = SMOKE ? 1 : 5;
const INSPECTOR_PORT = 9334;
// Tokens signed for the warm-up, and for the soak per request/s the warm-up
// reached per second of soak, with room for a faster second half.
const WARM_UP_TOKENS = 20_000;
const TOKENS_PER_RPS_SECOND = 1.5;
// Growth allowed from start to end: wasm memory grows by whole 64 KiB pages
// and never shrinks; the JS heap moves by a little between two full GCs.
const WASM_SLACK = 1 << 20;
const HEAP_SLACK = 1.25;

/** wrk at saturation on `url` for `seconds`, each request with the next of `tokens`. */
async function loadFresh(url, tokens, seconds, dir) {
  const file = join(dir, 'tokens.txt');
  writeFileSync(file, `${tokens.join('\n')}\n`);
  const result = await load(url, null, { seconds, script: { name: 'tokens.lua', args: [file, String(THREADS)] } });
  return { ...result, tokens: tokens.length, repeated: Number(result.out.match(/tokens repeated: (\d+)/)[1]) };
}

const KIB = 1024;
const row = (name, before, start, end) => ({ name, 'before load KiB': before / KIB, 'start KiB': start / KIB, 'end KiB': end / KIB, 'end/start': end / start });

const dir = mkdtempSync(join(tmpdir(), 'edgeauth-soak-'));
const origin = await echoOrigin();
const worker = edgeauthWorker(`http://127.0.0.1:${origin.address().port}`, { inspectorPort: INSPECTOR_PORT });
try {
  const base = String(await worker.ready);
  const url = `${base}api/x`;
  const nudge = () => fetch(`${base}health`).then((response) => response.arrayBuffer());
  await nudge();
  const session = await inspector(INSPECTOR_PORT);
  const contextId = await executionContext(session);
  const reading = () => memory(session, contextId, nudge);
  const before = await reading();
  const warmUp = await loadFresh(url, freshTokens(WARM_UP_TOKENS, 'warm-up'), WARM_UP_SECONDS, dir);
  const start = await reading();
  const soak = await loadFresh(url, freshTokens(Math.ceil(warmUp.rps * SECONDS * TOKENS_PER_RPS_SECOND), 'soak'), SECONDS, dir);
  const end = await reading();
  session.close();
  report('soak', `Gateway memory under a fresh HS256 token per request: ${SECONDS} s at saturation, ${CONNECTIONS} connections, `
    + `${Math.round(soak.rps)} req/s, ${soak.requests} requests, ${soak.tokens} distinct tokens, ${soak.repeated} requests repeated one`, [
    row('wasm memory', before.wasm, start.wasm, end.wasm),
    row('JS heap (used, after a full GC)', before.heap, start.heap, end.heap),
  ], ['before load KiB', 'start KiB', 'end KiB', 'end/start']);
  if (end.wasm > start.wasm + WASM_SLACK || end.heap > start.heap * HEAP_SLACK) {
    console.error(`soak: memory grew: wasm ${start.wasm} -> ${end.wasm} bytes, JS heap ${start.heap} -> ${end.heap} bytes`);
    process.exitCode = 1;
  }
} finally {
  await worker.dispose();
  origin.close();
  rmSync(dir, { recursive: true, force: true });
}
