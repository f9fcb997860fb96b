// Recipe: edgeauth in front of Harmony Proxy's routes
// (/work/shared/reference/harmony-proxy.txt): its "jwt-auth" middleware
// (RS256, keys from a jwks_url, issuer https://auth.example.com, audience
// harmony-api) marked optional and followed by "api-key" (X-API-Key against
// a list of hashed keys): JWT first, then the key. And its "basic-auth"
// middleware with a bcrypt `$2b$12$` password hash. The JWK Set is served
// from loopback here, as the identity provider's would be.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { startWorker } from './harness.mjs';
import { assertNoCredentials, assertRefused, call, hmacSha256Hash, identityOf, now, pbkdf2Hash, rsaKeyPair, signRs256, startOrigin } from './systems.mjs';

const ISSUER = 'https://auth.example.com';
const AUDIENCE = 'harmony-api';
const signer = rsaKeyPair('harmony-2025-01');
const stranger = rsaKeyPair('harmony-2025-01'); // same kid, another key: a forgery
const partnerKeys = [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')];

// bcrypt, cost 12, of "harmony-basic-password": made with libxcrypt's
// crypt(3) (Debian), `perl -e 'print crypt("harmony-basic-password",
// q($2b$12$HarmonyProxyBasicAuthTe))'`; the same call reproduces pyca/bcrypt's
// published vector $2b$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm
// ("Kk4DQuMMfZL9o", tests/test_bcrypt.py).
const BASIC_PASSWORD = 'harmony-basic-password';
const BASIC_HASH = '$2b$12$HarmonyProxyBasicAuthO6YBbAN3Zi2RRvJY0tlQmthNfOeFNTj6';

let origin;
let worker;
let jwksServer;
let jwksFetches = 0;

before(async () => {
  origin = await startOrigin();
  jwksServer = createServer((_, response) => {
    jwksFetches += 1;
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' });
    response.end(JSON.stringify({ keys: [signer.jwk] }));
  });
  jwksServer.listen(0, '127.0.0.1');
  await once(jwksServer, 'listening');
  worker = await startWorker({
    vars: {
      ORIGIN_URL: origin.url,
      JWT_PROVIDERS: JSON.stringify([
        { type: 'remote_jwks', name: 'harmony', url: `http://127.0.0.1:${jwksServer.address().port}/.well-known/jwks.json`, issuer: ISSUER, audiences: [AUDIENCE], algorithms: ['RS256'] },
      ]),
      GATEWAY_KEYS: JSON.stringify({ partners: { header: 'X-API-Key', hashes: [hmacSha256Hash(partnerKeys[0]), pbkdf2Hash(partnerKeys[1])] } }),
      BASIC_USERS: JSON.stringify({ admin: BASIC_HASH }),
      GATEWAY_POLICY: JSON.stringify([
        { prefix: '/api/', auth: ['jwt', 'key:partners'] },
        { prefix: '/ops/', auth: ['basic'] },
      ]),
    },
  });
});
after(async () => {
  await worker?.stop();
  await origin?.close();
  jwksServer?.close();
});
// A test that failed leaves nothing behind for the next one.
beforeEach(() => origin?.takeAll());

// The reference's example payload, with times around now.
const claims = (extra = {}) => ({ sub: 'user@example.com', iss: ISSUER, aud: AUDIENCE, iat: now(), nbf: now(), exp: now() + 600, ...extra });
const bundle = JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [] });

test('an RS256 JWT verified against the JWK Set passes, and the set is fetched once', async () => {
  for (let i = 0; i < 3; i++) {
    const token = signRs256(claims(), signer.privateKey, signer.jwk.kid);
    const result = await call(worker, '/api/fhir/Patient', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' }, body: bundle });
    assert.equal(result.status, 200, result.text);
    const seen = origin.take();
    assert.deepEqual([seen.method, seen.url, seen.body], ['POST', '/api/fhir/Patient', bundle]);
    const identity = identityOf(seen);
    assert.deepEqual([identity.method, identity.subject, identity.claims.aud], ['jwt', 'user@example.com', AUDIENCE]);
    assertNoCredentials(seen);
  }
  assert.equal(jwksFetches, 1, 'cached for its max-age');
});

test('X-API-Key against the hashed list, alone or after a JWT that fails', async () => {
  const failingJwts = [
    signRs256(claims(), stranger.privateKey, signer.jwk.kid),
    signRs256(claims({ exp: now() - 60, iat: now() - 600, nbf: now() - 600 }), signer.privateKey, signer.jwk.kid),
    signRs256(claims({ aud: 'another-api' }), signer.privateKey, signer.jwk.kid),
  ];
  const attempts = [
    ...partnerKeys.map((key) => ({ 'x-api-key': key })),
    ...failingJwts.map((token, i) => ({ authorization: `Bearer ${token}`, 'x-api-key': partnerKeys[i % 2] })),
  ];
  for (const headers of attempts) {
    const result = await call(worker, '/api/fhir/Patient/1', { headers });
    assert.equal(result.status, 200, `${Object.keys(headers)}: ${result.text}`);
    const seen = origin.take();
    assert.deepEqual([identityOf(seen).method, identityOf(seen).subject], ['key', 'partners']);
    assertNoCredentials(seen);
  }
});

test('no credential that verifies: 401 with the Bearer challenge, nothing forwarded', async () => {
  const forged = signRs256(claims(), stranger.privateKey, signer.jwk.kid);
  assertRefused(await call(worker, '/api/fhir/Patient/1', { headers: { 'x-api-key': randomBytes(32).toString('base64url') } }));
  assertRefused(await call(worker, '/api/fhir/Patient/1', { headers: { authorization: `Bearer ${forged}` } }));
  assertRefused(await call(worker, '/api/fhir/Patient/1', { headers: { authorization: `Bearer ${forged}`, 'x-api-key': `${partnerKeys[0]}x` } }));
  const none = await call(worker, '/api/fhir/Patient/1');
  assertRefused(none);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="edgeauth"');
  assert.equal(origin.takeAll().length, 0);
});

test('basic auth against the bcrypt $2b$12$ hash; its refusals challenge with Basic', async () => {
  const basic = (user, password) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
  const ok = await call(worker, '/ops/pipelines', { headers: basic('admin', BASIC_PASSWORD) });
  assert.equal(ok.status, 200, ok.text);
  const seen = origin.take();
  assert.deepEqual([identityOf(seen).method, identityOf(seen).subject], ['basic', 'admin']);
  assertNoCredentials(seen);
  assertRefused(await call(worker, '/ops/pipelines', { headers: basic('admin', 'harmony-basic-passwore') }), 'Basic');
  assertRefused(await call(worker, '/ops/pipelines', { headers: basic('root', BASIC_PASSWORD) }), 'Basic');
  const token = signRs256(claims(), signer.privateKey, signer.jwk.kid);
  assertRefused(await call(worker, '/ops/pipelines', { headers: { authorization: `Bearer ${token}` } }), 'Basic');
  const none = await call(worker, '/ops/pipelines');
  assertRefused(none, 'Basic');
  // RFC 7617: charset="UTF-8" may follow the realm.
  assert.match(none.headers.get('www-authenticate'), /^Basic realm="edgeauth"(, charset="UTF-8")?$/);
  assert.equal(origin.takeAll().length, 0);
});
