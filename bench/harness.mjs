// Shared timing and reporting for the JS benchmarks: warm-up, then doubling
// batches for a fixed budget; results as a table on stdout and as JSON and
// Markdown files under bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export const SMOKE = process.env.BENCH_SMOKE === '1';
const BUDGET_MS = SMOKE ? 30 : 1500;

/**
 * Operations per second of `op`, after a warm-up. An `op` that returns a
 * promise is awaited each time; a synchronous one is called in a plain loop,
 * so it does not pay for a microtask per call that its users would not pay.
 */
export async function measure(op) {
  const isAsync = typeof op()?.then === 'function';
  const run = isAsync
    ? async (times) => { for (let i = 0; i < times; i++) await op(); }
    : (times) => { for (let i = 0; i < times; i++) op(); };
  const warmUpEnd = performance.now() + BUDGET_MS / 5;
  while (performance.now() < warmUpEnd) await run(1);
  let done = 0;
  let batch = 1;
  const start = performance.now();
  while (performance.now() - start < BUDGET_MS) {
    await run(batch);
    done += batch;
    batch *= 2;
  }
  return done / ((performance.now() - start) / 1000);
}

/** Writes rows ({name, ...columns}) to bench/results/<file>.{json,md} and prints them. */
export function report(file, title, rows, columns) {
  const header = ['operation', ...columns];
  const format = (value) => (typeof value === 'number' ? (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2)) : String(value ?? ''));
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${[row.name, ...columns.map((c) => format(row[c]))].join(' | ')} |`)];
  const markdown = `## ${title}\n\n${lines.join('\n')}\n`;
  console.log(`\n${markdown}`);
  if (SMOKE) return;
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL(`${file}.json`, dir), JSON.stringify(rows, null, 2));
  writeFileSync(new URL(`${file}.md`, dir), markdown);
}
