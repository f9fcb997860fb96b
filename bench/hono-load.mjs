// The same Hono app (bench/hono/app.mjs) with edgeauth/hono beside Hono's
// own middleware, hono/jwt for HS256 and hono/jwk for ES256, each in workerd
// through Miniflare, loaded with wrk in turns (bench/wrk.mjs, as the gateway
// rows are): requests/s and p99 in one table. The load reuses one token per
// algorithm, as a client reuses its token: edgeauth/hono remembers it per
// isolate by default (a Verifier), Hono's middleware verifies every request;
// the `cache: false` column verifies every request with edgeauth too.
import { report } from './harness.mjs';
import { compare, CONNECTIONS, ROUNDS, SECONDS, warmUp } from './wrk.mjs';
import { honoWorker, tokens } from './workers.mjs';

const PEERS = { HS256: 'hono/jwt', ES256: 'hono/jwk' };

const edgeauth = honoWorker('edgeauth');
const hono = honoWorker('hono');
try {
  const [ours, theirs] = [await edgeauth.ready, await hono.ready];
  const rows = [];
  for (const [alg, token] of Object.entries(tokens)) {
    const path = alg === 'HS256' ? 'hs' : 'es';
    const targets = { cached: `${ours}${path}`, uncached: `${ours}${path}-uncached`, hono: `${theirs}${path}` };
    await warmUp(targets, token);
    const { cached, uncached, hono: peer } = await compare(targets, token);
    rows.push({
      name: `Hono app, ${alg}: edgeauth/hono vs ${PEERS[alg]}`,
      'edgeauth/hono req/s': cached.rps, 'cache: false req/s': uncached.rps, 'hono req/s': peer.rps, 'req/s ratio': cached.rps / peer.rps,
      'edgeauth/hono p50 ms': cached.p50, 'hono p50 ms': peer.p50,
      'edgeauth/hono p99 ms': cached.p99, 'cache: false p99 ms': uncached.p99, 'hono p99 ms': peer.p99,
    });
  }
  report('hono-load', `A Hono app in workerd under wrk: edgeauth/hono vs hono/jwt and hono/jwk (${SECONDS} s, ${CONNECTIONS} connections, median of ${ROUNDS} rounds taking turns)`, rows,
    ['edgeauth/hono req/s', 'cache: false req/s', 'hono req/s', 'req/s ratio', 'edgeauth/hono p50 ms', 'hono p50 ms', 'edgeauth/hono p99 ms', 'cache: false p99 ms', 'hono p99 ms']);
} finally {
  await Promise.all([edgeauth.dispose(), hono.dispose()]);
}
