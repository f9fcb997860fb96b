// edgeauth (the package's workerd entry: wasm, WebCrypto for the async calls)
// beside jose in one workerd isolate through Miniflare, on the rows every host
// runs (rows.mjs). The Worker (bench/library-workerd/worker.mjs) is bundled by
// esbuild as the other Worker benchmarks are, its wasm a CompiledWasm module.
//
// Timing: deployed, workerd freezes Date.now() and performance.now() while a
// request runs code (a Spectre mitigation: the clock moves only on I/O), so a
// loop timed inside a Worker reads 0. The workerd Miniflare runs here moved
// its clock during a loop when tried, but nothing promises that, so each batch
// of N operations is one request, timed here from before the fetch to its
// answer, less the median time of an empty request (N = 0) to the same
// operation: what is left is the N operations. The batches are those of
// timing.mjs's loop (a warm-up, then 1, 2, 4, … until the budget is spent),
// so the last, largest batches (hundreds of milliseconds against a request of
// one to a few) set the figure. Checked once against the loop timed inside
// this workerd: within the machine's noise. Run by `make bench` after
// `make pkg`; `BENCH_SMOKE=1` for a quick pass, `BENCH_ROWS=regex` for some rows.
import { readFileSync } from 'node:fs';
import { Miniflare } from 'miniflare';
import { BUDGET_MS, report } from './harness.mjs';
import { measureRows } from './rows-run.mjs';
import { measureBatches } from './timing.mjs';
import { bundle } from './workers.mjs';

const RSA_PEM = readFileSync(new URL('../tests/data/rsa2048.pkcs8.pem', import.meta.url), 'utf8');
const BASELINE_REQUESTS = 21;

function libraryWorker() {
  return new Miniflare({
    host: '127.0.0.1', port: 0, modules: true, compatibilityDate: '2025-12-01',
    scriptPath: bundle('bench/library-workerd/worker.mjs', 'build/bench-library-workerd/index.mjs'),
    modulesRules: [{ type: 'ESModule', include: ['**/*.mjs'] }, { type: 'CompiledWasm', include: ['**/*.wasm'] }],
    bindings: { RSA_PEM },
  });
}

async function get(url) {
  const response = await fetch(url);
  const body = await response.text();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${body}`);
  return body;
}

/** Milliseconds, seen from here, of one request running operation `index` `times` times. */
async function requestMs(base, index, times) {
  const start = performance.now();
  await get(`${base}run?op=${index}&times=${times}`);
  return performance.now() - start;
}

/** The median empty request to operation `index`: the part of every batch that is not the operations. */
async function baselineMs(base, index) {
  const samples = [];
  for (let i = 0; i < BASELINE_REQUESTS; i++) samples.push(await requestMs(base, index, 0));
  return samples.sort((a, b) => a - b)[samples.length >> 1];
}

const baselines = new Map();

/** Operations per second of operation `index` for `share` of the budget, its batches timed from outside the Worker. */
async function measureInWorker(base, index, share) {
  if (!baselines.has(index)) baselines.set(index, await baselineMs(base, index));
  const baseline = baselines.get(index);
  return measureBatches(async (times) => Math.max(0, (await requestMs(base, index, times)) - baseline), BUDGET_MS * share);
}

const worker = libraryWorker();
try {
  const base = await worker.ready;
  const table = JSON.parse(await get(`${base}rows`));
  const rows = await measureRows(table, (index, share) => measureInWorker(base, index, share), new RegExp(process.env.BENCH_ROWS ?? '.'));
  report('library-workerd', 'edgeauth (wasm, WebCrypto) vs jose, ops/s, one workerd isolate (batches timed from outside)', rows,
    ['edgeauth', 'jose', 'edgeauth/jose', 'note']);
} finally {
  await worker.dispose();
}
