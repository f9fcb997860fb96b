// What exact API-key revocation costs at the gateway: the same edgeauth
// Worker in workerd with and without its per-key Durable Objects
// (KEY_STATUS), which it asks on every use of a key, loaded with wrk in turns
// with one remembered API key. The ratio is the price of "revoked keys are
// refused from the next request, everywhere" over "within about 90 s".
import { report } from './harness.mjs';
import { compare, ROUNDS, SECONDS, warmUp } from './wrk.mjs';
import { ADMIN_TOKEN, echoOrigin, edgeauthWorker } from './workers.mjs';

/** A fresh API key, made through the Worker's admin API. */
async function apiKey(base) {
  const response = await fetch(`${base}admin/integrations`, {
    method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ integration_id: 'bench' }),
  });
  if (response.status !== 201) throw new Error(`admin API: ${response.status} ${await response.text()}`);
  return (await response.json()).api_key;
}

const origin = await echoOrigin();
const originUrl = `http://127.0.0.1:${origin.address().port}`;
const workers = { exact: edgeauthWorker(originUrl, {}, { keyStatus: true }), kv: edgeauthWorker(originUrl) };
try {
  const targets = {};
  for (const [name, worker] of Object.entries(workers)) {
    const base = String(await worker.ready);
    targets[name] = { url: `${base}keys/x`, header: `X-API-Key: ${await apiKey(base)}` };
  }
  await warmUp(targets, null);
  const { exact, kv } = await compare(targets, null);
  report('revocation', `API key at the gateway: per-key Durable Object asked on every use vs KV alone (${SECONDS} s, median of ${ROUNDS} rounds taking turns)`, [{
    name: 'gateway API key', 'exact req/s': exact.rps, 'kv-only req/s': kv.rps, 'req/s ratio': exact.rps / kv.rps,
    'exact p50 ms': exact.p50, 'exact p99 ms': exact.p99, 'kv-only p50 ms': kv.p50, 'kv-only p99 ms': kv.p99,
  }], ['exact req/s', 'kv-only req/s', 'req/s ratio', 'exact p50 ms', 'exact p99 ms', 'kv-only p50 ms', 'kv-only p99 ms']);
} finally {
  await Promise.all(Object.values(workers).map((worker) => worker.dispose()));
  origin.close();
}
