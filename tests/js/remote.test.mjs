// RemoteKeySet against a local identity provider (tests/support/jwks-server.mjs):
// rotation (exactly one refetch), made-up kids (no storm), Cache-Control and
// Age, no-store, a provider down (stale, then ERR_JWKS_UNAVAILABLE), a slow
// one (ERR_JWKS_TIMEOUT), malformed, empty, oversized and redirecting sets,
// single flight, OIDC discovery, and the memory of verified tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Key, KeySet, RemoteKeySet, sign, EdgeAuthError } from 'edgeauth';
import { bind } from '../../pkg/api.mjs';
import * as wasm from '../../pkg/node/edgeauth.js';
import * as nodeHost from '../../pkg/host-node.mjs';
import { startJwksServer, down, slow, sleep } from '../support/jwks-server.mjs';

const keyA = Key.generate('ES256', 'a');
const keyB = Key.generate('ES256', 'b');
const jwks = (...keys) => keys.reduce((set, key) => set.add(key), new KeySet()).toJwks();
const token = (key, issuer = 'idp') => sign({ sub: 'u' }, key, { issuer, expiresIn: 60, kid: key.kid });
const options = { algorithms: ['ES256'], issuer: 'idp' };
// The code, and for a claim error the claim and why: `ERR_JWT_CLAIM_VALIDATION_FAILED iss mismatch`.
const code = async (promise) => promise.then(() => 'verified', (error) => (error instanceof EdgeAuthError ? [error.code, error.claim, error.reason].filter(Boolean).join(' ') : String(error)));
let idp;

before(async () => { idp = await startJwksServer(); });
after(async () => { await idp?.close(); });

test('rotation refetches once; made-up kids and other algorithms cause no fetch', async () => {
  idp.route('/rot', { headers: { 'cache-control': 'max-age=600' }, body: jwks(keyA) });
  const remote = new RemoteKeySet(idp.url('/rot'), { cooldownDuration: 300 });
  assert.equal((await remote.verify(token(keyA), options)).payload.sub, 'u');
  await sleep(350);
  idp.route('/rot', { headers: { 'cache-control': 'max-age=600' }, body: jwks(keyA, keyB) });
  assert.equal((await remote.verify(token(keyB), options)).payload.sub, 'u');
  assert.equal(idp.fetches('/rot'), 2);
  const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => code(remote.verify(token(Key.generate('ES256', `x${i}`)), options))));
  assert.ok(burst.every((c) => c === 'ERR_JWKS_NO_MATCHING_KEY'), burst.join());
  assert.equal(await code(remote.verify(token(keyB, 'other'), options)), 'ERR_JWT_CLAIM_VALIDATION_FAILED iss mismatch');
  assert.equal(await code(remote.verify(token(Key.generate('EdDSA', 'e')), options)), 'ERR_JOSE_ALG_NOT_ALLOWED');
  assert.equal(idp.fetches('/rot'), 2, 'no storm');
  assert.equal((await remote.keys()).size, 2);
});

test('concurrent verifications share one fetch', async () => {
  idp.route('/flight', slow(200, jwks(keyA)));
  const remote = new RemoteKeySet(idp.url('/flight'));
  const results = await Promise.all(Array.from({ length: 10 }, () => remote.verify(token(keyA), options)));
  assert.equal(results.length, 10);
  assert.equal(idp.fetches('/flight'), 1);
});

test('Cache-Control less Age, and no-store', async () => {
  idp.route('/age', { headers: { 'cache-control': 'max-age=3', age: '2' }, body: jwks(keyA) });
  const aged = new RemoteKeySet(idp.url('/age'), { cacheMinAge: 500 });
  await aged.verify(token(keyA), options);
  await aged.verify(token(keyA), options);
  assert.equal(idp.fetches('/age'), 1);
  await sleep(1100);
  await aged.verify(token(keyA), options);
  assert.equal(idp.fetches('/age'), 2);
  idp.route('/nostore', { headers: { 'cache-control': 'no-store, max-age=600' }, body: jwks(keyA) });
  const unstored = new RemoteKeySet(idp.url('/nostore'), { cacheMinAge: 200 });
  await unstored.verify(token(keyA), options);
  await sleep(250);
  await unstored.verify(token(keyA), options);
  assert.equal(idp.fetches('/nostore'), 2);
});

test('a provider down: stale keys, then ERR_JWKS_UNAVAILABLE after maxStaleness', async () => {
  idp.route('/down', { headers: { 'cache-control': 'max-age=0' }, body: jwks(keyA) });
  const remote = new RemoteKeySet(idp.url('/down'), { cacheMinAge: 100, cacheMaxAge: 100, maxStaleness: 400, cooldownDuration: 100 });
  await remote.verify(token(keyA), options);
  idp.route('/down', down);
  await sleep(150);
  assert.equal(await code(remote.verify(token(keyA), options)), 'verified', 'stale-if-error');
  const tried = idp.fetches('/down');
  assert.equal(await code(remote.verify(token(keyA), options)), 'verified');
  assert.equal(idp.fetches('/down'), tried, 'the cooldown after a failure');
  await sleep(400);
  assert.equal(await code(remote.verify(token(keyA), options)), 'ERR_JWKS_UNAVAILABLE');
});

test('slow, malformed, empty, oversized and redirecting sets', async () => {
  idp.route('/slow', slow(2000, jwks(keyA)));
  const started = Date.now();
  assert.equal(await code(new RemoteKeySet(idp.url('/slow'), { timeoutDuration: 200 }).verify(token(keyA), options)), 'ERR_JWKS_TIMEOUT');
  assert.ok(Date.now() - started < 1500);
  idp.route('/malformed', { body: '{"keys": [' });
  idp.route('/empty', { body: { keys: [] } });
  idp.route('/huge', { body: { keys: [keyA.toJwk()], pad: 'x'.repeat(300 * 1024) } });
  idp.route('/redirect', { status: 302, headers: { location: idp.url('/empty') } });
  for (const [path, expected] of [['/malformed', 'ERR_JWKS_INVALID'], ['/empty', 'ERR_JWKS_INVALID'], ['/huge', 'ERR_JWKS_INVALID'], ['/redirect', 'ERR_JWKS_UNAVAILABLE']]) {
    assert.equal(await code(new RemoteKeySet(idp.url(path)).verify(token(keyA), options)), expected, path);
  }
  assert.equal(idp.fetches('/empty'), 1, 'the redirect was not followed');
});

test('OIDC discovery: the issuer must match exactly', async () => {
  idp.route('/oidc/.well-known/openid-configuration', { body: { issuer: idp.url('/oidc'), jwks_uri: idp.url('/oidc/jwks') } });
  idp.route('/oidc/jwks', { body: jwks(keyA) });
  idp.route('/evil/.well-known/openid-configuration', { body: { issuer: 'https://evil.example', jwks_uri: idp.url('/oidc/jwks') } });
  const issuer = idp.url('/oidc');
  const good = RemoteKeySet.fromIssuer(issuer);
  assert.equal((await good.verify(token(keyA, issuer), { algorithms: ['ES256'], issuer })).payload.iss, issuer);
  assert.equal((await good.verify(token(keyA, issuer), { algorithms: ['ES256'] })).payload.iss, issuer, 'the issuer is expected by default');
  const unset = { algorithms: ['ES256'], issuer: undefined }; // process.env.ISSUER, unset
  assert.equal(await code(good.verify(token(keyA, 'https://another-tenant.example'), unset)), 'ERR_JWT_CLAIM_VALIDATION_FAILED iss mismatch', 'an undefined issuer keeps the pinned one');
  assert.equal(await code(good.verify(token(keyA, 'https://another-tenant.example'), { algorithms: ['ES256'] })), 'ERR_JWT_CLAIM_VALIDATION_FAILED iss mismatch');
  const evil = RemoteKeySet.fromIssuer(idp.url('/evil'));
  assert.equal(await code(evil.verify(token(keyA, idp.url('/evil')), { algorithms: ['ES256'] })), 'ERR_JWKS_INVALID');
});

test('options and URLs are checked', () => {
  assert.throws(() => new RemoteKeySet('http://idp.example/jwks'), TypeError);
  assert.throws(() => new RemoteKeySet(idp.url('/x'), { cacheMaxAge: -1 }), TypeError);
  assert.throws(() => new RemoteKeySet(idp.url('/x'), { cacheMaxage: 1 }), TypeError);
  assert.throws(() => new RemoteKeySet(idp.url('/x'), { cacheMinAge: 2000, cacheMaxAge: 1000 }), TypeError);
  assert.throws(() => new RemoteKeySet(idp.url('/x'), { timeoutDuration: null }), TypeError);
  for (const zero of ['cooldownDuration', 'cacheMinAge', 'timeoutDuration']) {
    assert.throws(() => new RemoteKeySet(idp.url('/x'), { [zero]: 0 }), `${zero}: 0 would fetch in a loop`);
  }
});

test('verified tokens are remembered until the set or the options change, their time still checked', async () => {
  idp.route('/memory', { headers: { 'cache-control': 'max-age=1' }, body: jwks(keyA) });
  let checks = 0;
  const counted = bind(wasm, { synchronous: false, verifySignature: (...args) => { checks++; return nodeHost.verifySignature(...args); } });
  const remote = new counted.RemoteKeySet(idp.url('/memory'), { cacheMinAge: 100, cacheMaxAge: 500 });
  const once = token(keyA);
  for (let i = 0; i < 3; i++) assert.equal((await remote.verify(once, options)).payload.sub, 'u');
  assert.equal(checks, 1);
  await remote.verify(once, { ...options, maxTokenAge: 60 });
  assert.equal(checks, 2, 'other options: checked anew');
  const late = { ...options, currentDate: Date.now() / 1000 + 120 };
  assert.equal(await code(remote.verify(once, late)), 'ERR_JWT_EXPIRED exp check_failed');
  await sleep(600);
  idp.route('/memory', { headers: { 'cache-control': 'max-age=1' }, body: jwks(keyA, keyB) });
  await remote.verify(once, options);
  assert.equal(idp.fetches('/memory'), 2);
  assert.equal(checks, 4, 'a new set: checked anew');
});
