// edgeauth/hono in a real Hono app (tests/js/hono/worker.mjs), bundled by
// wrangler and run in workerd, against a local identity provider for the
// remote key set: what each middleware lets in, what c.get('auth') holds,
// and the gateway's answers otherwise (401 and its challenges, 403, 503, 500).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { unstable_dev } from 'wrangler';
import { Key, KeySet, generateApiKey, hashSecret, sign } from 'edgeauth';
import { freePort } from '../worker/harness.mjs';
import { startJwksServer } from '../support/jwks-server.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const secret = randomBytes(32).toString('base64url');
const hs = Key.fromSecret(secret, 'HS256');
const es = Key.generate('ES256');
const idpKey = Key.generate('ES256', 'idp');
const partner = generateApiKey();
const basicHash = hashSecret('open sesame', { iterations: 10_000 });
const CHALLENGE = 'Bearer realm="edgeauth", error="invalid_token", error_description="the credential was refused"';

let dir;
let idp;
let worker;

before(async () => {
  idp = await startJwksServer();
  idp.route('/jwks', { headers: { 'cache-control': 'max-age=600' }, body: new KeySet().add(idpKey).toJwks() });
  // A port nothing listens on: the provider is down.
  const downUrl = `http://127.0.0.1:${await freePort()}/jwks`;
  dir = mkdtempSync(join(tmpdir(), 'edgeauth-hono-'));
  const config = join(dir, 'wrangler.toml');
  writeFileSync(config, 'name = "edgeauth-hono-test"\ncompatibility_date = "2025-12-01"\n');
  worker = await unstable_dev(join(ROOT, 'tests/js/hono/worker.mjs'), {
    config, ip: '127.0.0.1', compatibilityDate: '2025-12-01', logLevel: 'warn',
    experimental: { disableExperimentalWarning: true },
    vars: {
      HS_SECRET: secret, ES_JWKS: JSON.stringify(new KeySet().add(es).toJwks()), JWKS_URL: idp.url('/jwks'), DOWN_URL: downUrl,
      KEY_HASHES: `${hashSecret('old key', { algorithm: 'sha256' })},${partner.hash}`,
      BASIC_USERS: JSON.stringify({ alice: basicHash }), BROKEN_HASH: '$pbkdf2-sha256$i=1$bad',
    },
  });
});

after(async () => {
  await worker?.stop();
  await idp?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function get(path, headers = {}) {
  const response = await worker.fetch(path, { headers });
  const text = await response.text();
  return { status: response.status, challenge: response.headers.get('www-authenticate'), retryAfter: response.headers.get('retry-after'), body: text ? JSON.parse(text) : null };
}

const bearer = (token) => ({ authorization: `Bearer ${token}` });
const basic = (user, password) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
const hsToken = (claims = {}, options = {}) => sign({ sub: 'ada', ...claims }, hs, { issuer: 'https://issuer.test', audience: 'api', expiresIn: 60, ...options });

test('jwtAuth lets a good token in, with its claims in c.get("auth"), from memory the second time too', async () => {
  const token = hsToken({ role: 'admin' });
  for (const path of ['/hs', '/hs', '/hs-uncached']) {
    const { status, body } = await get(path, bearer(token));
    assert.equal(status, 200, path);
    assert.equal(body.method, 'jwt');
    assert.equal(body.subject, 'ada');
    assert.equal(body.claims.role, 'admin');
    assert.equal(body.header.alg, 'HS256');
  }
});

test('jwtAuth refuses as the gateway does: a bare challenge without a credential, invalid_token with a bad one', async () => {
  const missing = await get('/hs');
  assert.equal(missing.status, 401);
  assert.equal(missing.challenge, 'Bearer realm="edgeauth"');
  assert.deepEqual(missing.body, { error: 'invalid_token', message: 'the credential is missing, malformed, unknown, revoked or expired' });
  const bad = [
    bearer(hsToken({}, { audience: 'someone-else' })),
    bearer(hsToken({}, { expiresIn: 0 })),
    bearer(sign({ sub: 'ada' }, Key.fromSecret(randomBytes(32), 'HS256'), { issuer: 'https://issuer.test', audience: 'api', expiresIn: 60 })),
    bearer(sign({ sub: 'ada' }, es, { issuer: 'https://issuer.test', audience: 'api', expiresIn: 60 })),
    bearer('not-a-jwt'),
    { authorization: `Bearer  ${hsToken()}` },
  ];
  for (const headers of bad) {
    const refused = await get('/hs', headers);
    assert.equal(refused.status, 401, headers.authorization);
    assert.equal(refused.challenge, CHALLENGE);
    assert.deepEqual(refused.body, missing.body);
  }
  // Another scheme is no bearer credential at all.
  assert.equal((await get('/hs', basic('alice', 'open sesame'))).challenge, 'Bearer realm="edgeauth"');
});

test('jwtAuth with a JWK Set checks ES256 and the scopes: 403 insufficient_scope without them', async () => {
  const token = (scope) => sign({ sub: 'bob', scope }, es, { expiresIn: 60 });
  assert.equal((await get('/es', bearer(token('read write')))).status, 200);
  const forbidden = await get('/es', bearer(token('write')));
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.challenge, 'Bearer realm="edgeauth", error="insufficient_scope"');
  assert.equal(forbidden.body.error, 'insufficient_scope');
});

test('jwtAuth with a RemoteKeySet: the provider\'s keys, fetched once; 503 with Retry-After when it is down', async () => {
  const token = sign({ sub: 'carol' }, idpKey, { expiresIn: 60 });
  for (let i = 0; i < 3; i++) assert.equal((await get('/remote', bearer(token))).body.subject, 'carol');
  assert.equal(idp.fetches('/jwks'), 1);
  assert.equal((await get('/remote', bearer(sign({ sub: 'x' }, es, { expiresIn: 60 })))).status, 401);
  const down = await get('/remote-down', bearer(token));
  assert.equal(down.status, 503);
  assert.equal(down.retryAfter, '5');
  assert.equal(down.body.error, 'unavailable');
});

test('apiKeyAuth checks the key against every stored hash', async () => {
  const { status, body } = await get('/key', { 'x-api-key': partner.token });
  assert.equal(status, 200);
  assert.deepEqual(body, { method: 'key', subject: 'partners', claims: { key_set: 'partners' } });
  assert.equal((await get('/key', { 'x-api-key': 'old key' })).status, 200);
  const wrong = await get('/key', { 'x-api-key': `${partner.token}x` });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.challenge, CHALLENGE);
  assert.equal((await get('/key')).challenge, 'Bearer realm="edgeauth"');
});

test('basicAuth: the right password, and the same refusal for a wrong one and an unknown user', async () => {
  const { status, body } = await get('/basic', basic('alice', 'open sesame'));
  assert.equal(status, 200);
  assert.deepEqual(body, { method: 'basic', subject: 'alice', claims: { user: 'alice' } });
  const wrong = await get('/basic', basic('alice', 'open sesame!'));
  const unknown = await get('/basic', basic('mallory', 'open sesame'));
  const malformed = await get('/basic', { authorization: 'Basic not base64!' });
  for (const refused of [wrong, unknown, malformed, await get('/basic')]) {
    assert.equal(refused.status, 401);
    assert.equal(refused.challenge, 'Basic realm="ops", charset="UTF-8"');
    assert.deepEqual(refused.body, wrong.body);
  }
});

test('our own broken material is a 500 that blames no caller', async () => {
  const broken = await get('/broken', basic('admin', 'x'));
  assert.equal(broken.status, 500);
  assert.deepEqual(broken.body, { error: 'internal', message: 'internal error' });
});

test('anyOf: the first that lets the request in wins; none does, the first one\'s challenge', async () => {
  const jwt = await get('/any', bearer(sign({ sub: 'dave' }, es, { expiresIn: 60 })));
  assert.equal(jwt.body.method, 'jwt');
  // Not a JWT that verifies: the same Bearer value as a key.
  assert.equal((await get('/any', bearer(partner.token))).body.method, 'key');
  const neither = await get('/any', bearer(`${partner.token}x`));
  assert.equal(neither.status, 401);
  assert.equal(neither.challenge, CHALLENGE);
  assert.equal((await get('/any')).challenge, 'Bearer realm="edgeauth"');
  // Basic first: its challenge, and a JWT still gets in.
  assert.equal((await get('/any-basic')).challenge, 'Basic realm="edgeauth", charset="UTF-8"');
  assert.equal((await get('/any-basic', bearer(hsToken()))).body.method, 'jwt');
  // A remote set that is down is our failure, never a pass, unless another credential verifies.
  const esToken = sign({ sub: 'x' }, idpKey, { expiresIn: 60 });
  assert.equal((await get('/any-down', bearer(esToken))).status, 503);
  assert.equal((await get('/any-down', { ...bearer(esToken), 'x-api-key': partner.token })).body.method, 'key');
});
