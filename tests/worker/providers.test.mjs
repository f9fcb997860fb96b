// The gateway's JWT providers in workerd: an HMAC secret, a static JWK Set and
// a remote JWK Set (served from loopback), each chosen by the token's issuer;
// an unreachable remote set fails closed with 503.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { Key, KeySet, sign } from 'edgeauth';
import { startWorker, freePort } from './harness.mjs';

const HMAC_SECRET = 'h'.repeat(48);
const staticKey = Key.generate('EdDSA');
const remoteKey = Key.generate('ES256');
let worker;
let jwksServer;
let jwksFetches = 0;

before(async () => {
  jwksServer = createServer((_, response) => {
    jwksFetches += 1;
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' });
    response.end(JSON.stringify(new KeySet().add(remoteKey).toJwks()));
  });
  await new Promise((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const deadPort = await freePort();
  worker = await startWorker({
    vars: {
      GATEWAY_HMAC_SECRET: HMAC_SECRET,
      JWT_PROVIDERS: JSON.stringify([
        { type: 'self' },
        { type: 'hmac', issuer: 'hmac-issuer', audiences: ['api'], algorithms: ['HS256'] },
        { type: 'jwks', issuer: 'static-issuer', any_audience: true, algorithms: ['EdDSA'], jwks: new KeySet().add(staticKey).toJwks() },
        { type: 'remote_jwks', issuer: 'remote-issuer', any_audience: true, algorithms: ['ES256'], url: `http://127.0.0.1:${jwksServer.address().port}/jwks.json` },
        { type: 'remote_jwks', issuer: 'dead-issuer', any_audience: true, algorithms: ['ES256'], url: `http://127.0.0.1:${deadPort}/jwks.json` },
      ]),
    },
  });
});
after(async () => { await worker?.stop(); jwksServer?.close(); });

const call = async (token) => {
  const response = await fetch(`${worker.url}/api/x`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, json: await response.json() };
};

test('each provider verifies the tokens of its own issuer', async () => {
  const hmacKey = Key.fromSecret(HMAC_SECRET, 'HS256');
  const hmac = await call(sign({ sub: 'h' }, hmacKey, { issuer: 'hmac-issuer', audience: 'api', expiresIn: 60 }));
  assert.deepEqual([hmac.status, hmac.json.auth?.subject, hmac.json.auth?.provider], [200, 'h', 'hmac-issuer']);
  const wrongAudience = await call(sign({ sub: 'h' }, hmacKey, { issuer: 'hmac-issuer', audience: 'other', expiresIn: 60 }));
  assert.equal(wrongAudience.status, 401);
  const fixed = await call(sign({ sub: 's' }, staticKey, { issuer: 'static-issuer', expiresIn: 60 }));
  assert.deepEqual([fixed.status, fixed.json.auth?.subject], [200, 's']);
  for (let i = 0; i < 3; i++) {
    const remote = await call(sign({ sub: 'r' }, remoteKey, { issuer: 'remote-issuer', expiresIn: 60 }));
    assert.deepEqual([remote.status, remote.json.auth?.subject], [200, 'r']);
  }
  assert.equal(jwksFetches, 1, 'the remote set is cached for its max-age');
});

test('a verified subject that is no valid header value is a 500, not a crash', async () => {
  const hmacKey = Key.fromSecret(HMAC_SECRET, 'HS256');
  const broken = await call(sign({ sub: 'a\r\nx-injected: 1' }, hmacKey, { issuer: 'hmac-issuer', audience: 'api', expiresIn: 60 }));
  assert.deepEqual([broken.status, broken.json.error], [500, 'internal']);
  const next = await call(sign({ sub: 'h' }, hmacKey, { issuer: 'hmac-issuer', audience: 'api', expiresIn: 60 }));
  assert.equal(next.status, 200, 'the instance still serves');
});

test('no provider for the issuer, or a key of another provider: 401', async () => {
  assert.equal((await call(sign({ sub: 'x' }, staticKey, { issuer: 'nobody', expiresIn: 60 }))).status, 401);
  assert.equal((await call(sign({ sub: 'x' }, staticKey, { issuer: 'remote-issuer', expiresIn: 60 }))).status, 401);
});

test('an unreachable remote JWK Set fails closed with 503 and Retry-After', async () => {
  const response = await fetch(`${worker.url}/api/x`, {
    headers: { authorization: `Bearer ${sign({ sub: 'd' }, remoteKey, { issuer: 'dead-issuer', expiresIn: 60 })}` },
  });
  assert.equal(response.status, 503);
  assert.ok(response.headers.get('retry-after'));
  assert.equal((await response.json()).error, 'unavailable');
});
