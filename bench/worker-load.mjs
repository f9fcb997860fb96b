// The edgeauth gateway in workerd beside two references doing the same
// forward: a minimal jose peer Worker doing the same check
// (bench/peer/worker.mjs), and a passthrough Worker that checks nothing
// (bench/passthrough/worker.mjs), the ceiling no gateway can pass. All three
// are served by Miniflare's API (which drives workerd directly, with no
// wrangler proxy in front), all forward to the same loopback echo origin, and
// each is loaded with wrk in turns, for a repeated HS256 and ES256 token.
// Two tables:
//
// - saturated: as many requests as each Worker serves; requests/s, the
//   ratios to the passthrough and to jose, and p50/p90/p99 latency;
// - paced: the same offered load for all (bench/paced.lua), below what
//   any serves, so latencies compare at equal work: a faster Worker under
//   saturation also loads the shared origin and wrk harder, which shows in
//   its tail. The origin itself, loaded the same way with no Worker in
//   front, is the floor that wrk and the origin set.
//
// Both also give the CPU each Worker's workerd process spent per request
// (from /proc): workerd serves on one thread, so at saturation its CPU per
// request sets requests/s, and it is steadier than requests/s on a shared
// machine.
import { report } from './harness.mjs';
import { compare, CONNECTIONS, ROUNDS, SECONDS, warmUp } from './wrk.mjs';
import { echoOrigin, edgeauthWorker, passthroughWorker, peerWorker, served, tokens } from './workers.mjs';

// Paced: each connection waits this long before each request, which offers
// about 1,100 requests/s at this machine's latencies, below what any serves.
const PACE_MS = 20;
const WORKERS = ['edgeauth', 'jose', 'passthrough'];
const PERCENTILES = ['p50', 'p90', 'p99'];

/** The columns of a row: requests/s, ratios, then every target's percentiles. */
function columns(names) {
  return [
    ...WORKERS.map((name) => `${name} req/s`), 'edgeauth/passthrough', 'jose/passthrough', 'edgeauth/jose',
    ...WORKERS.map((name) => `${name} workerd CPU us/req`),
    ...names.flatMap((name) => PERCENTILES.map((p) => `${name} ${p} ms`)),
  ];
}

/** A table row of the medians `compare` measured. */
function row(name, medians) {
  const figures = Object.entries(medians).flatMap(([target, m]) => [
    [`${target} req/s`, m.rps], [`${target} workerd CPU us/req`, m.cpuPerRequest], ...PERCENTILES.map((p) => [`${target} ${p} ms`, m[p]]),
  ]);
  const { edgeauth, jose, passthrough } = medians;
  return {
    name, ...Object.fromEntries(figures),
    'edgeauth/passthrough': edgeauth.rps / passthrough.rps, 'jose/passthrough': jose.rps / passthrough.rps, 'edgeauth/jose': edgeauth.rps / jose.rps,
  };
}

const origin = await echoOrigin();
const originUrl = `http://127.0.0.1:${origin.address().port}`;
const workers = { edgeauth: edgeauthWorker(originUrl), jose: peerWorker(originUrl), passthrough: passthroughWorker(originUrl) };
try {
  const targets = {};
  for (const [name, worker] of Object.entries(workers)) {
    const { base, pid } = await served(worker);
    targets[name] = { url: `${base}api/x`, pid };
  }
  const paceTargets = { ...targets, origin: `${originUrl}/api/x` };
  const saturated = [];
  const paced = [];
  for (const [alg, token] of Object.entries(tokens)) {
    await warmUp(targets, token);
    saturated.push(row(`gateway ${alg}`, await compare(targets, token)));
    paced.push(row(`gateway ${alg}`, await compare(paceTargets, token, { paceMs: PACE_MS })));
  }
  const rounds = `${SECONDS} s, ${CONNECTIONS} connections, median of ${ROUNDS} rounds taking turns`;
  report('worker-load', `Gateway in workerd under wrk, saturated, beside jose and a passthrough (${rounds})`, saturated, columns(WORKERS));
  report('worker-load-paced', `Gateway in workerd under wrk, paced: ${PACE_MS} ms before each request on each connection; origin: wrk straight to the origin (${rounds})`,
    paced, columns([...WORKERS, 'origin']));
} finally {
  await Promise.all(Object.values(workers).map((worker) => worker.dispose()));
  origin.close();
}
