// Recipe: edgeauth in place of M-Lab's token-exchange
// (/work/shared/reference/mlab-token-exchange.txt): the same routes,
// POST /v0/token/{autojoin,integration} (API key in, a 20-second JWT out),
// GET /.well-known/jwks.json and GET /health. e2e.test.mjs covers them in
// depth; this checks the exchange as an M-Lab client does it, signed RS256
// with token-exchange's own private JWK brought in as SIGNING_JWK, and the
// token against the published JWK Set with jose, as an M-Lab service would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { startWorker } from './harness.mjs';
import { call } from './systems.mjs';

let worker;
/** A private JWK as token-exchange keeps it in /secrets/jwk-priv.json. */
let privateJwk;
before(async () => {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  privateJwk = { ...(await jose.exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'token-exchange_20240101' };
  worker = await startWorker({ vars: {
    ALLOWED_AUDIENCES: 'autojoin,integration', TOKEN_LIFETIME_SECONDS: '20', SIGNING_ALG: 'RS256', SIGNING_JWK: JSON.stringify(privateJwk),
  } });
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
    const { payload, protectedHeader } = await jose.jwtVerify(exchanged.json.token, jwks, { issuer: worker.url, audience, algorithms: ['RS256'] });
    assert.equal(protectedHeader.kid, privateJwk.kid, 'signed with the key token-exchange already had');
    assert.deepEqual([payload.int_id, payload.key_id, payload.tier], ['my-integration', created.json.key_id, 0]);
    assert.equal(payload.exp - payload.iat, 20);
    assert.ok(payload.jti && payload.nbf);
  }
  assert.equal((await call(worker, '/v0/token/integration', { method: 'POST', body: JSON.stringify({ api_key: 'eak_not_a_key' }) })).status, 401);
  assert.equal((await call(worker, '/v0/token/integration')).status, 405);
  assert.equal((await call(worker, '/health')).status, 200);
});
