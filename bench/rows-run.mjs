// Runs the rows of rows.mjs on any host, in two steps so that a host timed
// from outside (workerd) can split them: `prepareRows` sets every side up and
// calls it once where it runs, `measureRows` times each distinct operation
// once, by index, and gives the table's rows with the edgeauth/jose ratio.
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
  for (const { name, edgeauth, jose } of rows) {
    prepared.push({ name, edgeauth: await prepareSide(edgeauth, ops, indexes), jose: await prepareSide(jose, ops, indexes) });
  }
  return { rows: prepared, ops };
}

/** The table's rows: ops/s per side ("n/a" where it cannot run), the ratio, and why a side is missing. */
export async function measureRows(preparedRows, measureIndex) {
  const measured = new Map();
  const opsPerSecond = async (side) => {
    if (side.error !== undefined) return 'n/a';
    if (!measured.has(side.index)) measured.set(side.index, await measureIndex(side.index));
    return measured.get(side.index);
  };
  const table = [];
  for (const row of preparedRows) {
    const [edgeauth, jose] = [await opsPerSecond(row.edgeauth), await opsPerSecond(row.jose)];
    const ratio = typeof edgeauth === 'number' && typeof jose === 'number' ? edgeauth / jose : 'n/a';
    const note = [['edgeauth', row.edgeauth], ['jose', row.jose]].filter(([, side]) => side.error).map(([who, side]) => `${who}: ${side.error}`).join('; ');
    table.push({ name: row.name, edgeauth, jose, 'edgeauth/jose': ratio, note });
  }
  return table;
}

/** Prepares and measures `rows` in this process, each operation for `budgetMs`. */
export async function runRowsHere(rows, budgetMs) {
  const { rows: prepared, ops } = await prepareRows(rows);
  return measureRows(prepared, (index) => measureBatches(timedBatches(ops[index].op, ops[index].isAsync), budgetMs));
}
