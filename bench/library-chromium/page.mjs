// In the benchmark page: loads the package's wasm, then offers
// `window.runBench({ rsaPem, budgetMs })`, which runs the shared rows
// (bench/rows.mjs) here, with the same timing loop as Node (bench/timing.mjs),
// and resolves to the table's rows.
import * as edgeauth from 'edgeauth';
import * as jose from 'jose';
import { benchRows } from '../rows.mjs';
import { runRowsHere } from '../rows-run.mjs';

await edgeauth.init(undefined, { p521: true });

window.runBench = ({ rsaPem, budgetMs }) =>
  runRowsHere(benchRows({ edgeauth, jose, rsaPem, syncVerify: false }), budgetMs);
document.body.dataset.ready = 'true';
document.getElementById('status').textContent = 'ready';
