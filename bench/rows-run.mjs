// Runs the rows of rows.mjs on any host, in two steps so that a host timed
// from outside (workerd) can split them: `prepareRows` sets every side up and
// calls it once where it runs, `measureRows` times each row's two sides in
// turns, by index, and gives the table's rows with the edgeauth/jose ratio.
// A side that fails (an algorithm the host lacks, a function this build
// lacks) reads "n/a", with the reason in the note.
import { measureBatches, probe, timedBatches } from './timing.mjs';

/** One side set up and called once: its index in `ops`, or the reason it cannot run. */
async function prepareSide(factory, ops, indexes) {
  if (!indexes.has(factory)) {
    indexes.set(factory, (async () => {
      try {
        const op = await factory();
        ops.push({ op, isAsync: await probe(op) });
        return { index: ops.length - 1 };
      } catch (error) {
        return { error: String(error?.message ?? error) };
      }
    })());
  }
  return indexes.get(factory);
}

/** `{ rows: [{ name, edgeauth, jose }], ops }`: each side `{ index }` into `ops` ({ op, isAsync }) or `{ error }`. */
export async function prepareRows(rows) {
  const ops = [];
  const indexes = new Map();
  const prepared = [];
  for (const { name, note, edgeauth, jose } of rows) {
    prepared.push({ name, note, edgeauth: await prepareSide(edgeauth, ops, indexes), jose: await prepareSide(jose, ops, indexes) });
  }
  return { rows: prepared, ops };
}

/** Rounds per row: the two sides take turns, each round a share of the budget, so a burst of load elsewhere on the machine hits both. */
export const ROUNDS = 5;

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/**
 * The table's rows: ops/s per side ("n/a" where it cannot run), the ratio,
 * and why a side is missing. `measureIndex(index, share)` measures operation
 * `index` for `share` of the budget. Where both sides run they take turns
 * for ROUNDS rounds: ops/s are the medians of the rounds, the ratio the
 * median of the rounds' ratios. `only` picks rows by name (all by default).
 */
export async function measureRows(preparedRows, measureIndex, only = /./) {
  const table = [];
  for (const row of preparedRows.filter(({ name }) => only.test(name))) {
    const sides = [row.edgeauth, row.jose];
    const runs = sides.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, side] of sides.entries()) if (side.error === undefined) runs[i].push(await measureIndex(side.index, 1 / ROUNDS));
    }
    const [edgeauth, jose] = runs.map((values) => (values.length ? median(values) : 'n/a'));
    const ratio = runs.every((values) => values.length) ? median(runs[0].map((ours, round) => ours / runs[1][round])) : 'n/a';
    const failures = [['edgeauth', row.edgeauth], ['jose', row.jose]].filter(([, side]) => side.error).map(([who, side]) => `${who}: ${side.error}`);
    const note = [row.note, ...failures].filter(Boolean).join('; ');
    table.push({ name: row.name, edgeauth, jose, 'edgeauth/jose': ratio, note });
  }
  return table;
}

/** Prepares and measures `rows` in this process, each operation for `budgetMs`. */
export async function runRowsHere(rows, budgetMs) {
  const { rows: prepared, ops } = await prepareRows(rows);
  return measureRows(prepared, (index, share) => measureBatches(timedBatches(ops[index].op, ops[index].isAsync), budgetMs * share));
}
