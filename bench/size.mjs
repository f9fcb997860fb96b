// Raw and gzip size of the npm package's wasm, of its separate P-521 module,
// and of the Worker's upload (build/worker/, from scripts/build-worker.sh).
// Budgets from issue 6: package wasm at most 150 KiB gzip, Worker bundle at
// most 1 MiB gzip. The P-521 module (issue 16: browsers and workerd load it
// beside the package wasm for synchronous ES512; Node does not) has no budget
// of its own: its ceiling is today's size with a little room, so that it can
// shrink and not grow. A missing build, or a size over its ceiling, exits 1.
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

function row(name, paths, budgetKib, ceilingKib = budgetKib) {
  const bytes = paths.map((p) => readFileSync(p));
  const raw = bytes.reduce((n, b) => n + b.length, 0);
  const gzip = bytes.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
  return { name, 'raw KiB': raw / KIB, 'gzip KiB': gzip / KIB, 'budget KiB (gzip)': budgetKib, 'within budget': gzip / KIB <= budgetKib ? 'yes' : 'NO', 'ceiling KiB (gzip)': ceilingKib };
}

const failures = [];

/** The files, or the reason to fail: a size of nothing would pass any budget. */
function present(paths, what) {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length) failures.push(`${what}: ${missing.join(', ')} not found (run make pkg and make worker first)`);
  return missing.length ? [] : paths;
}

const rows = [];
// pkg/node/ and pkg/web/ carry the same wasm; a runtime loads one of them.
const pkgWasm = files(join(ROOT, 'pkg', 'node'), (f) => f.endsWith('.wasm'));
if (!pkgWasm.length) failures.push('npm package wasm: no pkg/node/*.wasm (run make pkg first)');
else rows.push(row('npm package wasm (what a runtime loads)', pkgWasm, 150));
const p521 = present([join(ROOT, 'pkg', 'p521', 'edgeauth_p521_bg.wasm')], 'npm package P-521 module');
if (p521.length) rows.push(row('npm package P-521 module (browsers, workerd)', p521, 35));
// Exactly what scripts/build-worker.sh writes for upload (wrangler.toml's
// main, the entry and glue in one module, and the wasm).
const worker = present(['index.js', 'index_bg.wasm'].map((f) => join(ROOT, 'build', 'worker', f)), 'Worker upload');
if (worker.length) rows.push(row('Worker upload (wasm + js)', worker, 1024));
report('size', 'Sizes', rows, ['raw KiB', 'gzip KiB', 'budget KiB (gzip)', 'within budget', 'ceiling KiB (gzip)']);
for (const over of rows.filter((r) => r['gzip KiB'] > r['ceiling KiB (gzip)'])) {
  failures.push(`${over.name}: ${over['gzip KiB'].toFixed(1)} KiB gzip is over its ceiling of ${over['ceiling KiB (gzip)']} KiB`);
}
if (failures.length) {
  for (const failure of failures) console.error(`size: ${failure}`);
  process.exit(1);
}
