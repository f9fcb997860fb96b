// Signing through the host's native crypto (src/js/signing.rs, npm/host-*.mjs):
// `sign` in Node and `signAsync` everywhere make tokens jose verifies, the
// host imports each private key once, wasm signs where the host cannot, and
// both refuse exactly what signing in wasm refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as jose from 'jose';
import * as edgeauth from 'edgeauth';
import * as nodeHost from '../../pkg/host-node.mjs';
import * as webHost from '../../pkg/host-web.mjs';
import { bind } from '../../pkg/api.mjs';
import * as wasm from '../../pkg/node/edgeauth.js';

const ALGORITHMS = ['HS256', 'HS512', 'RS256', 'RS512', 'PS256', 'PS384', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const RSA_PEM = readFileSync(new URL('../data/rsa2048.pkcs8.pem', import.meta.url), 'utf8');
/** The package with WebCrypto as its host, as in browsers and Workers. */
const web = bind(wasm, webHost);

function keyFor(api, alg) {
  return /^(RS|PS)/.test(alg) ? api.Key.fromPem(RSA_PEM, alg, 'rsa') : api.Key.generate(alg);
}

/** The claims of `token` as jose verifies it with `key`'s public half. */
async function joseClaims(token, key, alg) {
  const verifying = await jose.importJWK(key.kty === 'oct' ? key.toJwk(true) : key.toJwk(), alg);
  return (await jose.jwtVerify(token, verifying, { algorithms: [alg], issuer: 'i' })).payload;
}

/** A host that signs with `inner` and counts what it is asked to do. */
function counting(inner) {
  const calls = { signingKey: 0, signature: 0 };
  const host = {
    ...inner,
    signingKey: (...args) => { calls.signingKey++; return inner.signingKey(...args); },
    signature: (...args) => { calls.signature++; return inner.signature(...args); },
  };
  return { host, calls };
}

test('sign in Node and signAsync with either host make tokens jose verifies, every algorithm', async () => {
  for (const alg of ALGORITHMS) {
    for (const [api, name] of [[edgeauth, 'node'], [web, 'webcrypto']]) {
      const key = keyFor(api, alg);
      const tokens = [api.sign({ sub: 'sync' }, key, { issuer: 'i', expiresIn: 60 }), await api.signAsync({ sub: 'async' }, key, { issuer: 'i', expiresIn: 60 })];
      assert.deepEqual(await Promise.all(tokens.map(async (token) => (await joseClaims(token, key, alg)).sub)), ['sync', 'async'], `${alg} ${name}`);
      assert.equal(edgeauth.decode(tokens[1]).header.kid, key.kid, `${alg} ${name}`);
    }
  }
});

test('the host signs RSA, ECDSA and Ed25519, importing each private key once per Key', async () => {
  for (const [inner, synchronous] of [[nodeHost, true], [webHost, false]]) {
    const { host, calls } = counting(inner);
    const api = bind(wasm, host);
    for (const alg of ['RS256', 'PS256', 'ES256', 'ES512', 'EdDSA']) {
      const key = keyFor(api, alg);
      const before = { ...calls };
      for (let i = 0; i < 3; i++) await api.signAsync({ i }, key);
      if (synchronous) api.sign({}, key);
      assert.equal(calls.signingKey - before.signingKey, 1, alg);
      assert.equal(calls.signature - before.signature, synchronous ? 4 : 3, alg);
    }
    const before = { ...calls };
    await api.signAsync({}, api.Key.generate('HS256'));
    assert.deepEqual(calls, before, 'HMAC stays in wasm');
  }
});

test('where the host cannot sign, or answers with anything but a signature\'s exact bytes, wasm signs', async () => {
  const answers = [undefined, null, 'signature', [1, 2, 3], {}, new Uint8Array(3), new Uint8Array(65)];
  for (const answer of answers) {
    for (const synchronous of [true, false]) {
      const api = bind(wasm, { ...nodeHost, synchronous, signature: () => (synchronous ? answer : Promise.resolve(answer)) });
      const key = api.Key.generate('ES256');
      const token = synchronous ? api.sign({ sub: 'w' }, key, { issuer: 'i' }) : await api.signAsync({ sub: 'w' }, key, { issuer: 'i' });
      assert.equal((await joseClaims(token, key, 'ES256')).sub, 'w', String(answer));
    }
  }
  const unimportable = bind(wasm, { ...webHost, signingKey: async () => undefined });
  const key = unimportable.Key.generate('ES384');
  assert.equal((await joseClaims(await unimportable.signAsync({ sub: 'x' }, key, { issuer: 'i' }), key, 'ES384')).sub, 'x');
});

/** Keys and options that signing refuses, made with `api`'s Key. */
function refused(api) {
  const es = api.Key.generate('ES256');
  const { alg, ...rsaWithoutAlg } = api.Key.fromPem(RSA_PEM, 'RS256').toJwk(true);
  return [
    ['a public key', api.Key.fromJwk(es.toJwk()), {}],
    ['key_ops without sign', api.Key.fromJwk({ ...es.toJwk(true), key_ops: ['verify'] }), {}],
    ['an alg in the header other than the key\'s', es, { header: { alg: 'ES384' } }],
    ['an RSA key with no alg', api.Key.fromJwk(rsaWithoutAlg), {}],
  ];
}

test('signAsync refuses exactly what sign refuses', async () => {
  for (const api of [edgeauth, web]) {
    for (const [what, key, options] of refused(api)) {
      let expected;
      assert.throws(() => api.sign({}, key, options), (error) => { expected = error; return error instanceof edgeauth.EdgeAuthError; }, what);
      await assert.rejects(api.signAsync({}, key, options), (error) => error.code === expected.code && error.message === expected.message, what);
    }
  }
  await assert.rejects(edgeauth.signAsync({}, 'not a key'), TypeError);
  await assert.rejects(edgeauth.signAsync([], edgeauth.Key.generate('ES256')), TypeError);
});

test('a long signAsync loop does not grow wasm memory', async () => {
  const key = edgeauth.Key.generate('ES256');
  const run = async () => { for (let i = 0; i < 2_000; i++) await edgeauth.signAsync({ sub: 'm', i }, key, { expiresIn: 600 }); };
  await run();
  const before = edgeauth.wasmMemoryBytes();
  await run();
  await run();
  assert.equal(edgeauth.wasmMemoryBytes(), before);
});
