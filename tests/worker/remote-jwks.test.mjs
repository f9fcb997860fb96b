// Remote key sets in the gateway, in workerd, against a local identity
// provider (tests/support/jwks-server.mjs): rotation, made-up kids,
// Cache-Control and Age, no-store, a provider down (stale, then 503), slow,
// malformed, empty, oversized and redirecting sets, OIDC discovery, two
// providers on one URL, and two isolates sharing one copy through KV.
import { test, before, after } from 'node:test';
import { rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import { Key, KeySet, sign } from 'edgeauth';
import { startWorker } from './harness.mjs';
import { startJwksServer, down, slow, sleep } from '../support/jwks-server.mjs';

const keyA = Key.generate('ES256', 'a');
const keyB = Key.generate('ES256', 'b');
const stranger = Key.generate('ES256', 'made-up');
const jwks = (...keys) => keys.reduce((set, key) => set.add(key), new KeySet()).toJwks();
let idp;
let worker;
let vars;

const remote = (issuer, path, cache, extra = {}) => ({ type: 'remote_jwks', issuer, any_audience: true, algorithms: ['ES256'], url: idp.url(path), cache, ...extra });

before(async () => {
  idp = await startJwksServer();
  idp.route('/rot', { headers: { 'cache-control': 'max-age=600' }, body: jwks(keyA) });
  idp.route('/age', { headers: { 'cache-control': 'max-age=3', age: '2' }, body: jwks(keyA) });
  idp.route('/nostore', { headers: { 'cache-control': 'no-store' }, body: jwks(keyA) });
  idp.route('/down', { headers: { 'cache-control': 'max-age=1' }, body: jwks(keyA) });
  idp.route('/slow', slow(3000, jwks(keyA)));
  idp.route('/malformed', { body: '{"keys": [' });
  idp.route('/empty', { body: { keys: [] } });
  idp.route('/huge', { body: { keys: [keyA.toJwk()], pad: 'x'.repeat(300 * 1024) } });
  idp.route('/redirect', { status: 302, headers: { location: idp.url('/rot') } });
  idp.route('/shared', { headers: { 'cache-control': 'max-age=600' }, body: jwks(keyA) });
  idp.route('/oidc/.well-known/openid-configuration', { body: { issuer: idp.url('/oidc'), jwks_uri: idp.url('/oidc/jwks') } });
  idp.route('/oidc/jwks', { headers: { 'cache-control': 'max-age=600' }, body: jwks(keyA) });
  idp.route('/evil/.well-known/openid-configuration', { body: { issuer: 'https://evil.example', jwks_uri: idp.url('/oidc/jwks') } });
  idp.route('/kv', { headers: { 'cache-control': 'max-age=600' }, body: jwks(keyA) });
  const providers = [
    remote('rot', '/rot', { cooldown: 2 }),
    remote('age', '/age', { min_age: 0.5 }),
    remote('nostore', '/nostore', { min_age: 1 }),
    remote('down', '/down', { min_age: 1, max_age: 1, max_staleness: 2, cooldown: 0.5 }),
    remote('slow', '/slow', { timeout: 1 }),
    remote('malformed', '/malformed'),
    remote('empty', '/empty'),
    remote('huge', '/huge'),
    remote('redirect', '/redirect'),
    remote('shared', '/shared', undefined, { name: 'shared-a', any_audience: undefined, audiences: ['a'] }),
    remote('shared', '/shared', undefined, { name: 'shared-b', any_audience: undefined, audiences: ['b'] }),
    remote('kv', '/kv', { cooldown: 1 }),
    { type: 'oidc', issuer: idp.url('/oidc'), any_audience: true, algorithms: ['ES256'] },
    { type: 'oidc', issuer: idp.url('/evil'), any_audience: true, algorithms: ['ES256'] },
  ];
  vars = { JWT_PROVIDERS: JSON.stringify(providers) };
  worker = await startWorker({ keep: true, vars });
});
after(async () => {
  await worker?.stop();
  if (worker) rmSync(worker.dir, { recursive: true, force: true });
  await idp?.close();
});

const token = (key, issuer, claims = {}) => sign({ sub: 'u', ...claims }, key, { issuer, expiresIn: 60, kid: key.kid });
const call = async (jwt, at = worker) => {
  const response = await fetch(`${at.url}/api/x`, { headers: { authorization: `Bearer ${jwt}` } });
  const json = await response.json();
  return { status: response.status, provider: json.auth?.provider, retryAfter: response.headers.get('retry-after') };
};

test('rotation to a new kid refetches exactly once; made-up kids cause no storm', async () => {
  assert.equal((await call(token(keyA, 'rot'))).status, 200);
  assert.equal(idp.fetches('/rot'), 1);
  await sleep(2100);
  idp.route('/rot', { headers: { 'cache-control': 'max-age=600' }, body: jwks(keyA, keyB) });
  assert.equal((await call(token(keyB, 'rot'))).status, 200);
  assert.equal(idp.fetches('/rot'), 2, 'one refetch for the new kid');
  const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => call(token(Key.generate('ES256', `x${i}`), 'rot'))));
  assert.ok(burst.every((r) => r.status === 401));
  assert.equal(idp.fetches('/rot'), 2, 'no fetch within the cooldown');
  const wrongAlg = sign({ sub: 'u' }, Key.generate('EdDSA', 'y'), { issuer: 'rot', expiresIn: 60 });
  await sleep(2100);
  assert.equal((await call(wrongAlg)).status, 401);
  assert.equal(idp.fetches('/rot'), 2, 'a token of another alg causes no fetch');
});

test('Cache-Control less Age decides freshness; no-store keeps only the minimum', async () => {
  assert.equal((await call(token(keyA, 'age'))).status, 200);
  assert.equal((await call(token(keyA, 'age'))).status, 200);
  assert.equal(idp.fetches('/age'), 1);
  await sleep(1200);
  assert.equal((await call(token(keyA, 'age'))).status, 200);
  assert.equal(idp.fetches('/age'), 2, 'max-age=3 with Age: 2 is fresh for one second');
  await call(token(keyA, 'nostore'));
  await call(token(keyA, 'nostore'));
  assert.equal(idp.fetches('/nostore'), 1);
  await sleep(1200);
  await call(token(keyA, 'nostore'));
  assert.equal(idp.fetches('/nostore'), 2);
});

test('a provider down: stale keys serve, then 503 after the maximum staleness', async () => {
  assert.equal((await call(token(keyA, 'down'))).status, 200);
  idp.route('/down', down);
  await sleep(1100);
  assert.equal((await call(token(keyA, 'down'))).status, 200, 'stale-if-error');
  const tried = idp.fetches('/down');
  assert.equal((await call(token(keyA, 'down'))).status, 200);
  assert.equal(idp.fetches('/down'), tried, 'the next attempt waits for the cooldown');
  await sleep(2100);
  const failed = await call(token(keyA, 'down'));
  assert.deepEqual([failed.status, Boolean(failed.retryAfter)], [503, true]);
});

test('slow, malformed, empty, oversized and redirecting sets fail closed', async () => {
  const started = Date.now();
  assert.equal((await call(token(keyA, 'slow'))).status, 503);
  assert.ok(Date.now() - started < 2500, 'the timeout, not the server, ends the wait');
  for (const issuer of ['malformed', 'empty', 'huge', 'redirect']) {
    assert.equal((await call(token(keyA, issuer))).status, 503, issuer);
  }
  assert.equal(idp.fetches('/redirect'), 1);
  assert.equal(idp.fetches('/rot'), 2, 'the redirect was not followed');
});

test('OIDC discovery: the matching issuer verifies, a mismatched one fails closed', async () => {
  const ok = await call(token(keyA, idp.url('/oidc')));
  assert.deepEqual([ok.status, ok.provider], [200, idp.url('/oidc')]);
  assert.equal(idp.fetches('/oidc/.well-known/openid-configuration'), 1);
  assert.equal((await call(token(keyA, idp.url('/evil')))).status, 503);
});

test('two providers on one URL share the set, each with its own checks', async () => {
  const a = await call(token(keyA, 'shared', { aud: 'a' }));
  const b = await call(token(keyA, 'shared', { aud: 'b' }));
  assert.deepEqual([a.status, a.provider, b.status, b.provider], [200, 'shared-a', 200, 'shared-b']);
  assert.equal((await call(token(keyA, 'shared', { aud: 'c' }))).status, 401);
  assert.equal(idp.fetches('/shared'), 1);
});

test('two isolates share one copy through KV', async () => {
  assert.equal((await call(token(keyA, 'kv'))).status, 200);
  assert.equal(idp.fetches('/kv'), 1);
  const second = await startWorker({ dir: worker.dir, keep: true, vars });
  try {
    assert.equal((await call(token(keyA, 'kv'), second)).status, 200);
    assert.equal(idp.fetches('/kv'), 1, 'the cold isolate took the shared copy');
    await sleep(1100);
    idp.route('/kv', { headers: { 'cache-control': 'max-age=600' }, body: jwks(keyA, keyB) });
    assert.equal((await call(token(keyB, 'kv'))).status, 200);
    assert.equal(idp.fetches('/kv'), 2);
    assert.equal((await call(token(keyB, 'kv'), second)).status, 200);
    assert.equal(idp.fetches('/kv'), 2, 'the rotated set came from KV');
  } finally {
    await second.stop();
  }
});
