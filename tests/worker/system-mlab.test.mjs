// Recipe: edgeauth in place of M-Lab's token-exchange
// (/work/shared/reference/mlab-token-exchange.txt): the same routes,
// POST /v0/token/{autojoin,integration} (API key in, a 20-second JWT out),
// GET /.well-known/jwks.json and GET /health. e2e.test.mjs covers them in
// depth; this checks the exchange as an M-Lab client does it, and the token
// against the published JWK Set with jose, as an M-Lab service would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { startWorker } from './harness.mjs';
import { call } from './systems.mjs';

let worker;
before(async () => {
  worker = await startWorker({ vars: { ALLOWED_AUDIENCES: 'autojoin,integration', TOKEN_LIFETIME_SECONDS: '20' } });
});
after(async () => {
  await worker?.stop();
});

test('an integration key exchanged for 20-second tokens, verified against the JWKS', async () => {
  const created = await call(worker, '/admin/integrations', {
    method: 'POST', headers: { authorization: `Bearer ${worker.adminToken}` },
    body: JSON.stringify({ integration_id: 'my-integration', description: 'M-Lab client', tier: 0 }),
  });
  assert.equal(created.status, 201, created.text);
  const jwks = jose.createLocalJWKSet((await call(worker, '/.well-known/jwks.json')).json);
  for (const audience of ['integration', 'autojoin']) {
    // The reference's request: curl -X POST .../v0/token/integration -H "Content-Type: application/json" -d '{"api_key": "..."}'
    const exchanged = await call(worker, `/v0/token/${audience}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: created.json.api_key }),
    });
    assert.equal(exchanged.status, 200, exchanged.text);
    assert.deepEqual(Object.keys(exchanged.json), ['token']);
    const { payload } = await jose.jwtVerify(exchanged.json.token, jwks, { issuer: worker.url, audience });
    assert.deepEqual([payload.int_id, payload.key_id, payload.tier], ['my-integration', created.json.key_id, 0]);
    assert.equal(payload.exp - payload.iat, 20);
    assert.ok(payload.jti && payload.nbf);
  }
  assert.equal((await call(worker, '/v0/token/integration', { method: 'POST', body: JSON.stringify({ api_key: 'eak_not_a_key' }) })).status, 401);
  assert.equal((await call(worker, '/v0/token/integration')).status, 405);
  assert.equal((await call(worker, '/health')).status, 200);
});
