// Recipe: edgeauth in front of Moose (/work/shared/reference/moose.txt).
// Every Moose client sends `Authorization: Bearer <value>`: either an RS256
// JWT (checked against MOOSE_JWT_PUBLIC_KEY, issuer and audience) or the
// plain token from `moose generate hash-token`, whose PBKDF2 hash is
// MOOSE_INGEST_API_KEY on /ingest/, MOOSE_CONSUMPTION_API_KEY on the
// consumption APIs (/api/, and /consumption/ of older versions) and the
// admin_api_key on Moose's own /admin/ (the Worker's admin API moves aside).
// The JWT is tried first; a Bearer value that does not verify as a JWT is
// then tried as the key. With enforce_on_all_*_apis (jwt_only) only the JWT
// is accepted.
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './harness.mjs';
import { assertRefused, call, identityOf, mooseToken, now, rsaKeyPair, signRs256, startOrigin } from './systems.mjs';

const ISSUER = 'https://my-auth-server.com/';
const AUDIENCE = 'my-moose-app';
const signer = rsaKeyPair();
const forger = rsaKeyPair();
const ingestKey = mooseToken();
const consumptionKeys = [mooseToken(), mooseToken()]; // during a rotation: both hashes, comma-separated
const adminKey = mooseToken();

const claims = (extra = {}) => ({ sub: 'moose-client-1', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 300, ...extra });
const bearer = (value) => ({ authorization: `Bearer ${value}` });

function mooseVars(originUrl, { enforce = false } = {}) {
  const jwtOnly = enforce ? { jwt_only: true } : {};
  return {
    ORIGIN_URL: originUrl,
    ADMIN_PATH_PREFIX: '/_edgeauth/admin/',
    MOOSE_JWT_PUBLIC_KEY: signer.pem,
    MOOSE_INGEST_API_KEY: ingestKey.hash,
    MOOSE_CONSUMPTION_API_KEY: consumptionKeys.map((k) => k.hash).join(','),
    MOOSE_ADMIN_API_KEY: adminKey.hash,
    JWT_PROVIDERS: JSON.stringify([
      { type: 'public_key', name: 'moose', pem_env: 'MOOSE_JWT_PUBLIC_KEY', issuer: ISSUER, audiences: [AUDIENCE], algorithms: ['RS256'] },
    ]),
    GATEWAY_KEYS: JSON.stringify({
      ingest: { header: 'Authorization', hashes_env: 'MOOSE_INGEST_API_KEY' },
      consumption: { header: 'Authorization', hashes_env: 'MOOSE_CONSUMPTION_API_KEY' },
      admin: { header: 'Authorization', hashes_env: 'MOOSE_ADMIN_API_KEY' },
    }),
    GATEWAY_POLICY: JSON.stringify([
      // Moose keeps its own checks: the Bearer value goes on to it too.
      { prefix: '/ingest/', methods: ['POST'], auth: ['jwt', 'key:ingest'], forward_credentials: true, ...jwtOnly },
      { prefix: '/api/', auth: ['jwt', 'key:consumption'], forward_credentials: true, ...jwtOnly },
      { prefix: '/consumption/', auth: ['jwt', 'key:consumption'], forward_credentials: true, ...jwtOnly },
      { prefix: '/admin/', auth: ['key:admin'], forward_credentials: true },
    ]),
  };
}

const event = JSON.stringify({ eventId: 'e-1', userId: 'u-1', activity: 'click', timestamp: '2025-01-01T00:00:00Z' });

describe('Moose, enforce_on_all_*_apis = false: JWT first, then the key', () => {
  let origin;
  let worker;
  before(async () => {
    origin = await startOrigin();
    worker = await startWorker({ vars: mooseVars(origin.url) });
  });
  after(async () => {
    await worker?.stop();
    await origin?.close();
  });
  beforeEach(() => origin?.takeAll());

  test('an RS256 JWT from the configured PEM key, issuer and audience passes ingest and consumption', async () => {
    const token = signRs256(claims(), signer.privateKey);
    const ingest = await call(worker, '/ingest/UserActivity', { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: event });
    assert.equal(ingest.status, 200, ingest.text);
    const seen = origin.take();
    assert.deepEqual([seen.method, seen.url, seen.body], ['POST', '/ingest/UserActivity', event]);
    const identity = identityOf(seen);
    assert.deepEqual([identity.method, identity.subject, identity.claims.iss, identity.claims.aud], ['jwt', 'moose-client-1', ISSUER, AUDIENCE]);
    assert.equal(seen.headers.authorization, `Bearer ${token}`);
    for (const path of ['/api/dailyActiveUsers?limit=10', '/consumption/dailyActiveUsers?limit=10']) {
      const read = await call(worker, path, { headers: bearer(token) });
      assert.equal(read.status, 200, `${path}: ${read.text}`);
      const got = origin.take();
      assert.deepEqual([got.url, identityOf(got).method], [path, 'jwt']);
    }
  });

  test('the plain Moose token passes where its hash is configured, and only there', async () => {
    const ingest = await call(worker, '/ingest/UserActivity', { method: 'POST', headers: bearer(ingestKey.bearer), body: event });
    assert.equal(ingest.status, 200, ingest.text);
    const seen = origin.take();
    assert.deepEqual([identityOf(seen).method, identityOf(seen).subject], ['key', 'ingest']);
    assert.equal(seen.headers.authorization, `Bearer ${ingestKey.bearer}`);
    for (const key of consumptionKeys) {
      for (const path of ['/api/dailyActiveUsers', '/consumption/dailyActiveUsers']) {
        const read = await call(worker, path, { headers: bearer(key.bearer) });
        assert.equal(read.status, 200, `${path}: ${read.text}`);
        const got = origin.take();
        assert.deepEqual([identityOf(got).method, identityOf(got).subject], ['key', 'consumption']);
      }
    }
    assertRefused(await call(worker, '/api/dailyActiveUsers', { headers: bearer(ingestKey.bearer) }));
    assertRefused(await call(worker, '/ingest/UserActivity', { method: 'POST', headers: bearer(consumptionKeys[0].bearer), body: event }));
    assertRefused(await call(worker, '/ingest/UserActivity', { method: 'POST', headers: bearer(adminKey.bearer), body: event }));
    assert.equal(origin.takeAll().length, 0);
  });

  test('a forged or mis-addressed JWT is refused, and so is a token of the right shape with no hash', async () => {
    const post = (value) => call(worker, '/ingest/UserActivity', { method: 'POST', headers: bearer(value), body: event });
    assertRefused(await post(signRs256(claims(), forger.privateKey)));
    assertRefused(await post(signRs256(claims({ aud: 'another-app' }), signer.privateKey)));
    assertRefused(await post(signRs256(claims({ iss: 'https://elsewhere.example/' }), signer.privateKey)));
    assertRefused(await post(signRs256(claims({ exp: now() - 600 }), signer.privateKey)));
    assertRefused(await post(mooseToken().bearer));
    const missing = await call(worker, '/ingest/UserActivity', { method: 'POST', body: event });
    assertRefused(missing);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="edgeauth"');
    assert.equal(origin.takeAll().length, 0);
  });

  test("Moose's own /admin/ takes its admin key; the Worker's admin API answers under ADMIN_PATH_PREFIX", async () => {
    const plan = await call(worker, '/admin/plan', { method: 'POST', headers: { ...bearer(adminKey.bearer), 'content-type': 'application/json' }, body: '{}' });
    assert.equal(plan.status, 200, plan.text);
    const seen = origin.take();
    assert.equal(seen.url, '/admin/plan');
    assert.deepEqual([identityOf(seen).method, identityOf(seen).subject], ['key', 'admin']);
    assert.equal(seen.headers.authorization, `Bearer ${adminKey.bearer}`);
    assertRefused(await call(worker, '/admin/keys', { headers: bearer(worker.adminToken) }));
    assertRefused(await call(worker, '/admin/plan', { method: 'POST', headers: bearer(ingestKey.bearer), body: '{}' }));
    assert.equal(origin.takeAll().length, 0, "the Worker's admin token is no Moose admin key");
    const own = await call(worker, '/_edgeauth/admin/keys', { headers: bearer(worker.adminToken) });
    assert.equal(own.status, 200, own.text);
    assert.ok(Array.isArray(own.json.keys));
    assert.equal(origin.takeAll().length, 0, 'served by the Worker itself');
  });
});

describe('Moose, enforce_on_all_ingest_apis and enforce_on_all_consumptions_apis = true: jwt_only', () => {
  let origin;
  let worker;
  before(async () => {
    origin = await startOrigin();
    worker = await startWorker({ vars: mooseVars(origin.url, { enforce: true }) });
  });
  after(async () => {
    await worker?.stop();
    await origin?.close();
  });
  beforeEach(() => origin?.takeAll());

  test('the key is refused, the JWT passes', async () => {
    assertRefused(await call(worker, '/ingest/UserActivity', { method: 'POST', headers: bearer(ingestKey.bearer), body: event }));
    assertRefused(await call(worker, '/api/dailyActiveUsers', { headers: bearer(consumptionKeys[0].bearer) }));
    assert.equal(origin.takeAll().length, 0);
    const token = signRs256(claims(), signer.privateKey);
    const ingest = await call(worker, '/ingest/UserActivity', { method: 'POST', headers: bearer(token), body: event });
    assert.equal(ingest.status, 200, ingest.text);
    assert.equal(identityOf(origin.take()).method, 'jwt');
    const read = await call(worker, '/api/dailyActiveUsers', { headers: bearer(token) });
    assert.equal(read.status, 200, read.text);
    assert.equal(identityOf(origin.take()).method, 'jwt');
  });
});
