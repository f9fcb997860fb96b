// The benchmarks' timing loop, host-neutral (Node, a browser page, a Worker):
// only `performance.now()`, no imports. A warm-up, then doubling batches for
// a fixed budget. `measureBatches` takes any batch runner, so a host whose
// clock cannot be read in-process (workerd) times its batches from outside.

const now = () => performance.now();

/** Calls `op` once, so it fails here if it fails at all; whether it returns a promise. */
export async function probe(op) {
  const result = op();
  if (typeof result?.then !== 'function') return false;
  await result;
  return true;
}

/**
 * `times` calls of `op`, as one function. An async `op` is awaited each
 * time; a synchronous one runs in a plain loop, so it does not pay for a
 * microtask per call that its users would not pay.
 */
export function repeat(op, isAsync) {
  return isAsync
    ? async (times) => { for (let i = 0; i < times; i++) await op(); }
    : (times) => { for (let i = 0; i < times; i++) op(); };
}

/** A batch runner for `measureBatches` timing `op` in this process: resolves to the milliseconds `times` calls took. */
export function timedBatches(op, isAsync) {
  const run = repeat(op, isAsync);
  return async (times) => {
    const start = now();
    await run(times);
    return now() - start;
  };
}

/**
 * Operations per second of `runBatch(times)`, which does `times` operations
 * and resolves to the milliseconds they took: `budgetMs / 5` of single
 * operations to warm up, then batches of 1, 2, 4, … until `budgetMs` is spent.
 */
export async function measureBatches(runBatch, budgetMs) {
  const warmUpEnd = now() + budgetMs / 5;
  while (now() < warmUpEnd) await runBatch(1);
  let done = 0;
  let spent = 0;
  for (let batch = 1; spent < budgetMs; batch *= 2) {
    spent += await runBatch(batch);
    done += batch;
  }
  return done / (spent / 1000);
}

/** Operations per second of `op`, timed in this process. */
export async function measure(op, budgetMs) {
  return measureBatches(timedBatches(op, await probe(op)), budgetMs);
}
