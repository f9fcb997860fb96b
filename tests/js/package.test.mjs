// The npm package as a user imports it (by name), in Node: round trips for
// every algorithm, interop with jose both ways, error codes and argument checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as jose from 'jose';
import { Key, KeySet, Verifier, StoredSecrets, sign, verify, verifyAsync, decode, parseBearer, parseBasic, EdgeAuthError, generateApiKey, hashSecret, verifySecret, wasmMemoryBytes } from 'edgeauth';
import * as nodeHost from '../../pkg/host-node.mjs';
import * as webHost from '../../pkg/host-web.mjs';
import { bind } from '../../pkg/api.mjs';
import * as wasm from '../../pkg/node/edgeauth.js';

const ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const RSA_PEM = readFileSync(new URL('../data/rsa2048.pkcs8.pem', import.meta.url), 'utf8');

function keyFor(alg) {
  return /^(RS|PS)/.test(alg) ? Key.fromPem(RSA_PEM, alg, 'rsa') : Key.generate(alg);
}

function publicOf(key) {
  return key.kty === 'oct' ? key : Key.fromJwk(key.toJwk());
}

/** `fn` throws an EdgeAuthError with `code` and, for a claim, its `claim` and `reason`. */
function rejects(fn, code, { claim, reason } = {}) {
  assert.throws(fn, (error) => error instanceof EdgeAuthError && error.code === code && error.claim === claim && error.reason === reason);
}

test('every algorithm signs and verifies with its public key', () => {
  for (const alg of ALGORITHMS) {
    const key = keyFor(alg);
    const token = sign({ sub: 'u1' }, key, { expiresIn: 60, jti: true, audience: ['a', 'b'] });
    const { header, payload } = verify(token, publicOf(key), { algorithms: [alg], audience: 'b' });
    assert.equal(header.alg, alg);
    assert.equal(header.typ, 'JWT');
    assert.equal(payload.sub, 'u1');
    assert.equal(payload.jti.length, 22);
  }
});

test('tokens minted by jose verify here', async () => {
  for (const alg of ALGORITHMS) {
    const { privateKey, publicKey } = alg.startsWith('HS')
      ? { privateKey: await jose.generateSecret(alg, { extractable: true }) }
      : await jose.generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
    const jwk = await jose.exportJWK(publicKey ?? privateKey);
    const token = await new jose.SignJWT({ sub: 'jose' }).setProtectedHeader({ alg }).setIssuer('i').setExpirationTime('1m').sign(privateKey);
    const { payload } = verify(token, Key.fromJwk(jwk), { algorithms: [alg], issuer: 'i' });
    assert.equal(payload.sub, 'jose', alg);
  }
});

test('tokens minted here verify with jose', async () => {
  for (const alg of ALGORITHMS) {
    const key = keyFor(alg);
    const token = sign({ sub: 'edge' }, key, { expiresIn: 60, issuer: 'i' });
    const verifying = await jose.importJWK(key.kty === 'oct' ? key.toJwk(true) : key.toJwk(), alg);
    const { payload } = await jose.jwtVerify(token, verifying, { algorithms: [alg], issuer: 'i' });
    assert.equal(payload.sub, 'edge', alg);
  }
});

/** `token` with one signature character changed (a middle one, so the base64url stays canonical). */
function tampered(token) {
  const at = token.lastIndexOf('.') + 10;
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

test('verifyAsync: every algorithm, jose tokens, tampered signatures refused', async () => {
  for (const alg of ALGORITHMS) {
    const key = keyFor(alg);
    const token = sign({ sub: 'async' }, key, { expiresIn: 60 });
    assert.equal((await verifyAsync(token, publicOf(key), { algorithms: [alg] })).payload.sub, 'async', alg);
    await assert.rejects(verifyAsync(tampered(token), publicOf(key), { algorithms: [alg] }),
      (error) => error instanceof EdgeAuthError && error.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', alg);
    rejects(() => verify(tampered(token), publicOf(key), { algorithms: [alg] }), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    const joseToken = await new jose.SignJWT({ sub: 'jose' }).setProtectedHeader({ alg }).setExpirationTime('1m')
      .sign(await jose.importJWK(key.toJwk(true), alg));
    assert.equal((await verifyAsync(joseToken, publicOf(key), { algorithms: [alg] })).payload.sub, 'jose', alg);
  }
  await assert.rejects(verifyAsync('a.b.c', Key.generate('ES256'), { algorithms: ['ES256'] }), (error) => error.code === 'ERR_JWS_INVALID');
  await assert.rejects(verifyAsync('a.b.c', Key.generate('ES256'), {}), TypeError);
});

test('verifyAsync checks claims while the host checks the signature, and a bad signature still comes first', async () => {
  for (const api of [{ Key, Verifier, sign, verifyAsync }, bind(wasm, webHost)]) {
    const key = api.Key.generate('ES256');
    const publicKey = api.Key.fromJwk(key.toJwk());
    for (const [claims, expected] of [[{ exp: 1 }, 'ERR_JWT_EXPIRED'], [{ sub: 'ok', exp: 2 ** 31 }, 'ok']]) {
      const token = api.sign(claims, key);
      const verifier = new api.Verifier(publicKey, { algorithms: ['ES256'] });
      for (const presented of [token, tampered(token)]) {
        for (const attempt of [() => api.verifyAsync(presented, publicKey, { algorithms: ['ES256'] }), () => verifier.verifyAsync(presented)]) {
          const outcome = await attempt().then((result) => result.payload.sub, (error) => error.code);
          assert.equal(outcome, presented === token ? expected : 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
        }
      }
    }
  }
});

test('the host checks are native, exact and never guess', async () => {
  for (const alg of ['RS256', 'RS512', 'PS256', 'PS384', 'ES256', 'ES384', 'ES512', 'EdDSA']) {
    const key = keyFor(alg);
    const token = sign({}, key, { expiresIn: 60 });
    const { kty, n, e, crv, x, y } = key.toJwk();
    const jwk = () => JSON.stringify({ kty, n, e, crv, x, y });
    const input = Buffer.from(token.slice(0, token.lastIndexOf('.')));
    const signature = Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'base64url');
    const forged = Buffer.from(signature.map((byte, i) => (i === 5 ? byte ^ 1 : byte)));
    for (const host of [nodeHost, webHost]) {
      assert.equal(await host.verifySignature(alg, key.thumbprint(), jwk, input, signature), true, `${alg} ${host.synchronous}`);
      assert.equal(await host.verifySignature(alg, key.thumbprint(), jwk, input, forged), false, `${alg} ${host.synchronous}`);
    }
  }
});

test('only a host verdict of exactly true accepts a signature', () => {
  for (const verdict of ['yes', 1, {}, null]) {
    const lax = bind(wasm, { ...nodeHost, verifySignature: () => verdict });
    const key = lax.Key.generate('ES256');
    const token = lax.sign({ sub: 'v' }, key, { expiresIn: 60 });
    assert.equal(lax.verify(token, key, { algorithms: ['ES256'] }).payload.sub, 'v', String(verdict));
    rejects(() => lax.verify(tampered(token), key, { algorithms: ['ES256'] }), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  }
});

test('failures carry jose-style codes and claim details', () => {
  const key = Key.fromSecret('s'.repeat(32), 'HS256');
  const expired = sign({}, key, { expiresIn: 10, currentDate: 1_000 });
  assert.throws(() => verify(expired, key, { algorithms: ['HS256'], currentDate: new Date(1_010_000) }),
    (e) => e instanceof EdgeAuthError && e.code === 'ERR_JWT_EXPIRED' && e.claim === 'exp' && e.reason === 'check_failed');
  const token = sign({ iss: 'x' }, key, { expiresIn: 60 });
  assert.throws(() => verify(token, key, { algorithms: ['HS256'], issuer: 'y' }),
    (e) => e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && e.claim === 'iss' && e.reason === 'mismatch');
  rejects(() => verify(token, key, { algorithms: ['RS256'] }), 'ERR_JOSE_ALG_NOT_ALLOWED');
  const forged = token.slice(0, -1) + (token.endsWith('A') ? 'Q' : 'A');
  rejects(() => verify(forged, key, { algorithms: ['HS256'] }), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  rejects(() => verify('a.b', key, { algorithms: ['HS256'] }), 'ERR_JWS_INVALID');
  rejects(() => verify('x'.repeat(20_000), key, { algorithms: ['HS256'] }), 'ERR_JWT_TOO_LARGE');
  rejects(() => Key.fromSecret('short', 'HS256'), 'ERR_JWK_INVALID');
  rejects(() => Key.fromJwk({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }), 'ERR_JWK_INVALID');
  rejects(() => Key.generate('RS256'), 'ERR_JOSE_NOT_SUPPORTED');
});

test('bad arguments are TypeErrors', () => {
  const key = Key.generate('HS256');
  const token = sign({}, key, { expiresIn: 60 });
  assert.throws(() => verify(token, key), TypeError);
  assert.throws(() => verify(token, key, { algorithms: [] }), TypeError);
  assert.throws(() => verify(token, {}, { algorithms: ['HS256'] }), TypeError);
  assert.throws(() => verify(42, key, { algorithms: ['HS256'] }), TypeError);
  assert.throws(() => verify(token, key, { algorithms: ['HS256'], audiance: 'x' }), { name: 'TypeError', message: 'unknown option audiance' });
  assert.throws(() => verify(token, key, { algorithms: ['HS256'], audience: 5 }), { name: 'TypeError', message: 'options.audience must be a non-empty string or a non-empty array of them' });
  for (const clockTolerance of [1.5, '5']) {
    assert.throws(() => verify(token, key, { algorithms: ['HS256'], clockTolerance }), { name: 'TypeError', message: 'options.clockTolerance must be a non-negative integer' });
  }
  assert.throws(() => verify(token, key, { algorithms: ['HS256'], clockTolerance: -1 }), { name: 'TypeError', message: 'options.clockTolerance must not be negative' });
  assert.throws(() => sign({}, key, { jti: 1 }), { name: 'TypeError', message: 'options.jti must be a boolean or a string' });
  assert.throws(() => verify(token, key, { algorithms: ['HS256'], audience: null }), { name: 'TypeError', message: 'options.audience must not be null: leave it out instead' });
  assert.throws(() => Key.fromSecret(42, 'HS256'), TypeError);
  assert.throws(() => new Key(), TypeError);
});

test('key sets select by kid and export public keys only', () => {
  const es = Key.generate('ES256', 'es');
  const hs = Key.generate('HS256', 'hs');
  const set = new KeySet().add(es).add(hs);
  assert.equal(set.size, 2);
  assert.equal(set.get('es').kid, 'es');
  assert.deepEqual(set.toJwks().keys.map((k) => k.kid), ['es']);
  assert.equal(set.toJwks().keys[0].d, undefined);
  const fromJson = new KeySet(JSON.stringify(set.toJwks()));
  verify(sign({}, es, { expiresIn: 60 }), fromJson, { algorithms: ['ES256'] });
  assert.equal(set.remove('es'), true);
  rejects(() => verify(sign({}, es, { expiresIn: 60 }), set, { algorithms: ['ES256'] }), 'ERR_JWKS_NO_MATCHING_KEY');
});

test('every sign and verify option does what it says', () => {
  const key = Key.fromSecret('o'.repeat(32), 'HS256', 'k1');
  const at = new Date(1_700_000_000_500);
  const token = sign({ role: 'r' }, key, {
    typ: 'at+jwt', header: { cty: 'x' }, notBefore: 5, expiresIn: 60, subject: 's', issuer: 'i',
    audience: 'a', jti: 'fixed', iat: false, currentDate: at,
  });
  const { header, payload } = decode(token);
  assert.deepEqual(header, { alg: 'HS256', cty: 'x', kid: 'k1', typ: 'at+jwt' });
  assert.deepEqual(payload, { role: 'r', sub: 's', iss: 'i', aud: 'a', jti: 'fixed', nbf: 1_700_000_005, exp: 1_700_000_060 });
  const options = { algorithms: ['HS256'], typ: 'application/AT+JWT', subject: 's', issuer: ['x', 'i'], audience: ['a'], currentDate: 1_700_000_010 };
  assert.equal(verify(token, key, options).payload.role, 'r');
  rejects(() => verify(token, key, { ...options, currentDate: 1_700_000_000 }), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'nbf', reason: 'check_failed' });
  rejects(() => verify(token, key, { ...options, requiredClaims: ['iat'] }), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'iat', reason: 'missing' });
  rejects(() => verify(token, key, { ...options, maxTokenSize: 20 }), 'ERR_JWT_TOO_LARGE');
  assert.throws(() => sign({}, key, { currentDate: new Date(NaN) }), TypeError);
  assert.throws(() => hashSecret('pw', { iterations: 2 ** 32 + 600_000 }), TypeError);
  key.free();
});

test('thumbprints follow RFC 7638 and decode reads without verifying', () => {
  const jwk = JSON.parse(readFileSync(new URL('../vectors/rfc7638/3_1_rsa_thumbprint.json', import.meta.url), 'utf8'));
  assert.equal(Key.fromJwk(jwk.jwk).thumbprint(), jwk.thumbprint);
  const key = Key.generate('EdDSA');
  assert.equal(key.kid, key.thumbprint());
  assert.equal(decode(sign({ a: 1 }, key)).payload.a, 1);
});

test('a Verifier remembers tokens but still checks time', () => {
  const key = Key.fromSecret('k'.repeat(32), 'HS256');
  const token = sign({}, key, { expiresIn: 10, currentDate: 1_000 });
  assert.equal(new Verifier(key, { algorithms: ['HS256'], currentDate: 1_005 }).verify(token).payload.exp, 1_010);
  const late = new Verifier(key, { algorithms: ['HS256'], currentDate: 1_010 });
  rejects(() => late.verify(token), 'ERR_JWT_EXPIRED', { claim: 'exp', reason: 'check_failed' });
});

test('a Verifier answers a remembered token with the same frozen result, until its time claims come near their edge', async () => {
  const key = Key.fromSecret('k'.repeat(32), 'HS256');
  const verifier = new Verifier(key, { algorithms: ['HS256'] });
  const token = sign({ roles: ['a'] }, key, { expiresIn: 60 });
  const first = verifier.verify(token);
  assert.equal(verifier.verify(token), first);
  assert.equal(await verifier.verifyAsync(token), first);
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first.payload.roles));
  assert.throws(() => { first.payload.sub = 'someone else'; }, TypeError);
  // Within a second of `exp` the engine decides again, to the exact second.
  const expiring = sign({}, key, { expiresIn: 2 });
  const { exp } = verifier.verify(expiring).payload;
  const until = (seconds) => new Promise((resolve) => setTimeout(resolve, Math.max(0, seconds * 1000 - Date.now())));
  await until(exp - 0.5);
  assert.equal(verifier.verify(expiring).payload.exp, exp);
  await until(exp + 0.1);
  rejects(() => verifier.verify(expiring), 'ERR_JWT_EXPIRED', { claim: 'exp', reason: 'check_failed' });
  await assert.rejects(verifier.verifyAsync(expiring), (error) => error.code === 'ERR_JWT_EXPIRED');
});

test('Verifier.verifyAsync remembers what the host verified, and still checks time', async () => {
  const key = Key.generate('ES256');
  const token = sign({ sub: 'v' }, key, { expiresIn: 10, currentDate: Date.now() / 1000 });
  const verifier = new Verifier(Key.fromJwk(key.toJwk()), { algorithms: ['ES256'] });
  const first = await verifier.verifyAsync(token);
  assert.deepEqual(await verifier.verifyAsync(token), first);
  assert.deepEqual(verifier.verify(token), first);
  await assert.rejects(verifier.verifyAsync(`${token.slice(0, -4)}AAAA`), (error) => error.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  const late = new Verifier(Key.fromJwk(key.toJwk()), { algorithms: ['ES256'], currentDate: Date.now() / 1000 + 60 });
  await assert.rejects(late.verifyAsync(token), (error) => error.code === 'ERR_JWT_EXPIRED');
});

test('StoredSecrets: every hash of a name, unknown names refused, bad hashes refused up front', async () => {
  const pbkdf2 = hashSecret('open sesame', { iterations: 10_000 });
  const keys = [hashSecret('old', { algorithm: 'sha256' }), hashSecret('new', { algorithm: 'sha256' })];
  const secrets = new StoredSecrets({ alice: pbkdf2, partners: keys });
  assert.equal(await secrets.verify('alice', 'open sesame'), true);
  assert.equal(await secrets.verify('alice', 'open sesame'), true);
  assert.equal(await secrets.verify('alice', 'wrong'), false);
  assert.equal((await secrets.verify('partners', 'old')) && (await secrets.verify('partners', 'new')), true);
  // The stand-in is alice's hash: her password opens nothing for an unknown name, then or remembered.
  assert.equal(await secrets.verify('mallory', 'open sesame'), false);
  assert.equal(await secrets.verify('mallory', 'open sesame'), false);
  rejects(() => new StoredSecrets({ admin: '$pbkdf2-sha256$i=1$bad' }), 'ERR_HASH_INVALID');
  assert.throws(() => new StoredSecrets({ admin: [] }), TypeError);
  for (const empty of [{ bob: pbkdf2, alice: '' }, { alice: [pbkdf2, ' '] }]) {
    assert.throws(() => new StoredSecrets(empty), TypeError, 'an empty hash is refused wherever it stands');
  }
  assert.throws(() => new StoredSecrets({ admin: 'a\nb' }), TypeError);
  assert.throws(() => new StoredSecrets(['x']), TypeError);
});

test('StoredSecrets remembers an outcome instead of hashing again', async () => {
  let hashed = 0;
  const counted = bind({ ...wasm, verifySecretAny: (...args) => { hashed++; return wasm.verifySecretAny(...args); } }, nodeHost);
  const secrets = new counted.StoredSecrets({ alice: hashSecret('pw', { iterations: 10_000 }) });
  for (const secret of ['pw', 'pw', 'wrong', 'wrong']) await secrets.verify('alice', secret);
  await secrets.verify('bob', 'pw');
  assert.equal(hashed, 3);
});

test('parseBearer and parseBasic read Authorization values strictly', () => {
  assert.equal(parseBearer('bearer abc.DEF-_~+/=='), 'abc.DEF-_~+/==');
  assert.deepEqual(parseBasic(`Basic ${Buffer.from('ada:pass:word').toString('base64')}`), { user: 'ada', password: 'pass:word' });
  for (const bad of ['Bearer  abc', 'Bearer abc ', 'Basic abc', 'Bearer', 'Token abc', 'Bearer a,b']) {
    rejects(() => (bad.startsWith('Basic') ? parseBasic(bad) : parseBearer(bad)), 'ERR_CREDENTIAL_MALFORMED');
  }
  rejects(() => parseBasic(`Basic ${Buffer.from(':nouser').toString('base64')}`), 'ERR_CREDENTIAL_MALFORMED');
});

test('API keys and hashed secrets', () => {
  const { token, keyId, hash } = generateApiKey({ prefix: 'acme' });
  assert.ok(token.startsWith(`acme_${keyId}_`));
  assert.equal(verifySecret(token, hash), true);
  assert.equal(verifySecret(token + 'x', hash), false);
  const stored = hashSecret('correct horse', { algorithm: 'pbkdf2-sha256', iterations: 10_000 });
  assert.ok(stored.startsWith('$pbkdf2-sha256$'));
  assert.equal(verifySecret('correct horse', stored), true);
  rejects(() => verifySecret('x', '$pbkdf2-sha256$i=4000000000$AAAAAAAAAAA$AAAA'), 'ERR_HASH_INVALID');
});

test('a long verify loop does not grow wasm memory, in wasm or through the host', () => {
  for (const [alg, times] of [['HS256', 20_000], ['ES256', 2_000]]) {
    const key = Key.generate(alg);
    const token = sign({ sub: 'm', roles: ['a', 'b'] }, key, { expiresIn: 600 });
    const run = () => { for (let i = 0; i < times; i++) verify(token, key, { algorithms: [alg] }); };
    run();
    const before = wasmMemoryBytes();
    run();
    run();
    assert.equal(wasmMemoryBytes(), before, alg);
  }
});
