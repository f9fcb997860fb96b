// The library benchmark's Worker (bench/library-workerd.mjs bundles it and
// runs it in workerd): the shared rows (bench/rows.mjs) with the package's
// workerd entry and jose. workerd's clock stands still while a request runs
// code, so the Worker only runs operations; the timing is done outside.
//   GET /rows             every row, each side set up and called once: an index or an error
//   GET /run?op=I&times=N  N calls of operation I (N = 0: the empty request, for the baseline)
import * as edgeauth from 'edgeauth';
import * as jose from 'jose';
import { benchRows } from '../rows.mjs';
import { prepareRows } from '../rows-run.mjs';
import { repeat } from '../timing.mjs';

let prepared;

/** The rows, set up on the first request: workerd allows random keys only inside one. */
function rows(env) {
  prepared ??= prepareRows(benchRows({ edgeauth, jose, rsaPem: env.RSA_PEM, syncVerify: false })).then(({ rows: table, ops }) => ({
    table, runs: ops.map(({ op, isAsync }) => repeat(op, isAsync)),
  }));
  return prepared;
}

export default {
  async fetch(request, env) {
    const { table, runs } = await rows(env);
    const url = new URL(request.url);
    if (url.pathname === '/rows') return Response.json(table);
    const run = runs[Number(url.searchParams.get('op'))];
    if (url.pathname !== '/run' || run === undefined) return new Response('not found', { status: 404 });
    await run(Number(url.searchParams.get('times')));
    return new Response('done');
  },
};
