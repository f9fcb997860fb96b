// Shared timing budget and reporting for the JS benchmarks in Node: the
// loop itself is timing.mjs (warm-up, then doubling batches), shared with the
// browser page and the Worker; results as a table on stdout and as JSON and
// Markdown files under bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { measure as measureOn } from './timing.mjs';

export const SMOKE = process.env.BENCH_SMOKE === '1';
/** How long each operation is timed, in milliseconds. */
export const BUDGET_MS = SMOKE ? 30 : 1500;

/** Operations per second of `op`, after a warm-up (timing.mjs, the loop every host runs). */
export const measure = (op) => measureOn(op, BUDGET_MS);

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
