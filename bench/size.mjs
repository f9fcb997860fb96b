// Raw and gzip size of the npm package's wasm and of the Worker's upload
// (build/worker/, from scripts/build-worker.sh). Budgets from issue 6: package wasm at
// most 150 KiB gzip, Worker bundle at most 1 MiB gzip.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { report } from './harness.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const KIB = 1024;

function files(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile() && keep(f));
}

function row(name, paths, budgetKib) {
  const bytes = paths.map((p) => readFileSync(p));
  const raw = bytes.reduce((n, b) => n + b.length, 0);
  const gzip = bytes.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
  return { name, 'raw KiB': raw / KIB, 'gzip KiB': gzip / KIB, 'budget KiB (gzip)': budgetKib, 'within budget': gzip / KIB <= budgetKib ? 'yes' : 'NO' };
}

const rows = [];
// pkg/node/ and pkg/web/ carry the same wasm; a runtime loads one of them.
const pkgWasm = files(join(ROOT, 'pkg', 'node'), (f) => f.endsWith('.wasm'));
if (pkgWasm.length) rows.push(row('npm package wasm (what a runtime loads)', pkgWasm, 150));
// Exactly what scripts/build-worker.sh writes for upload (wrangler.toml's
// main, the entry and glue in one module, and the wasm).
const worker = ['index.js', 'index_bg.wasm'].map((f) => join(ROOT, 'build', 'worker', f)).filter(existsSync);
if (worker.length) rows.push(row('Worker upload (wasm + js)', worker, 1024));
// A missed budget is reported, not a failure: the closing notes track it.
report('size', 'Sizes', rows, ['raw KiB', 'gzip KiB', 'budget KiB (gzip)', 'within budget']);
