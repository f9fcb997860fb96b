// The edgeauth gateway in workerd beside a minimal jose peer Worker doing the
// same check (bench/peer/worker.mjs), both served by Miniflare's API (which
// drives workerd directly, with no wrangler proxy in front), both forwarding
// to the same loopback echo origin, each loaded with wrk for a fixed time,
// for an HS256 and an ES256 token. Two tables:
//
// - saturated: as many requests as each Worker serves; requests/s and
//   p50/p99 latency;
// - paced: the same offered load for both (bench/paced.lua), below what
//   either serves, so latencies compare at equal work: a faster Worker under
//   saturation also loads the shared origin and wrk harder, which shows in
//   its tail.
import { report } from './harness.mjs';
import { compare as compareAll, CONNECTIONS, ROUNDS, SECONDS, warmUp } from './wrk.mjs';
import { echoOrigin, edgeauthWorker, peerWorker, tokens } from './workers.mjs';

// Paced: each connection waits this long before each request, which offers
// about 1,100 requests/s at this machine's latencies, below what either serves.
const PACE_MS = 20;

/** Both Workers loaded in turns: a table row of medians. */
async function compare(name, targets, token, options) {
  const { edgeauth: ours, jose: theirs } = await compareAll(targets, token, options);
  return {
    name, 'edgeauth req/s': ours.rps, 'jose req/s': theirs.rps, 'req/s ratio': ours.rps / theirs.rps,
    'edgeauth p50 ms': ours.p50, 'edgeauth p90 ms': ours.p90, 'edgeauth p99 ms': ours.p99,
    'jose p50 ms': theirs.p50, 'jose p90 ms': theirs.p90, 'jose p99 ms': theirs.p99,
  };
}

const origin = await echoOrigin();
const originUrl = `http://127.0.0.1:${origin.address().port}`;
const edge = edgeauthWorker(originUrl);
const peer = peerWorker(originUrl);
try {
  const targets = { edgeauth: `${await edge.ready}api/x`, jose: `${await peer.ready}api/x` };
  const saturated = [];
  const paced = [];
  for (const [alg, token] of Object.entries(tokens)) {
    await warmUp(targets, token);
    saturated.push(await compare(`gateway ${alg}`, targets, token));
    paced.push(await compare(`gateway ${alg}`, targets, token, { paceMs: PACE_MS }));
  }
  const rounds = `${SECONDS} s, ${CONNECTIONS} connections, median of ${ROUNDS} rounds taking turns`;
  report('worker-load', `Gateway in workerd under wrk, saturated (${rounds})`, saturated,
    ['edgeauth req/s', 'jose req/s', 'req/s ratio', 'edgeauth p50 ms', 'edgeauth p99 ms', 'jose p50 ms', 'jose p99 ms']);
  report('worker-load-paced', `Gateway in workerd under wrk, paced: ${PACE_MS} ms before each request on each connection (${rounds})`, paced,
    ['edgeauth req/s', 'jose req/s', 'edgeauth p50 ms', 'edgeauth p90 ms', 'edgeauth p99 ms', 'jose p50 ms', 'jose p90 ms', 'jose p99 ms']);
} finally {
  await Promise.all([edge.dispose(), peer.dispose()]);
  origin.close();
}
