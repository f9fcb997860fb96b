// The Worker's signing keys end to end in workerd with local KV: for each
// SIGNING_ALG (RS256 and PS256 made by WebCrypto, ES256, EdDSA), jose
// verifies the Worker's tokens against its JWKS before and after a rotation
// and an import (staged, then activated); imports that must fail get 400 with
// the reason; SIGNING_JWK becomes current on first use; the CLI's
// import-signing-key takes `edgeauth keygen` output as it is; the cron
// trigger rotates when ROTATE_AFTER_DAYS says so and deletes retired keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startWorker } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(worker, path, { method = 'GET', body, admin = false } = {}) {
  const headers = admin ? { authorization: `Bearer ${worker.adminToken}` } : {};
  const response = await fetch(`${worker.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, json, text };
}

/** An API key of a fresh integration on `worker`. */
async function apiKey(worker) {
  const created = await call(worker, '/admin/integrations', { method: 'POST', admin: true, body: { integration_id: 'signing-co' } });
  assert.equal(created.status, 201, created.text);
  return created.json.api_key;
}

async function token(worker, key) {
  const exchanged = await call(worker, '/v0/token/integration', { method: 'POST', body: { api_key: key } });
  assert.equal(exchanged.status, 200, exchanged.text);
  return exchanged.json.token;
}

/** Every token verifies with jose against the Worker's JWKS as it is now, for `alg` only. */
async function verifyAll(worker, tokens, alg) {
  const jwks = (await call(worker, '/.well-known/jwks.json')).json;
  for (const key of jwks.keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) assert.equal(key[member], undefined);
  const set = jose.createLocalJWKSet(jwks);
  for (const t of tokens) {
    const { protectedHeader, payload } = await jose.jwtVerify(t, set, { issuer: worker.url, audience: 'integration', algorithms: [alg] });
    assert.equal(protectedHeader.alg, alg);
    assert.equal(payload.int_id, 'signing-co');
  }
  return jwks;
}

/** A private JWK for `alg` made by jose (as another system would hold it), with a kid. */
async function foreignJwk(alg, kid) {
  const { privateKey } = await jose.generateKeyPair(alg, { extractable: true, crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
  return { ...(await jose.exportJWK(privateKey)), alg, kid };
}

const kidOf = (t) => jose.decodeProtectedHeader(t).kid;

/**
 * Runs `command` with `input` on stdin; resolves to its stdout. Not
 * execFileSync: blocking the event loop while the Worker's proxy closes an
 * idle keep-alive socket makes the next fetch fail on it.
 */
function run(command, args, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${err}`))));
    child.stdin.end(input);
  });
}

for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA']) {
  test(`${alg}: jose verifies tokens before and after a rotation and an import`, async () => {
    const worker = await startWorker({ vars: { SIGNING_ALG: alg } });
    try {
      const key = await apiKey(worker);
      const first = await token(worker, key);
      const jwks = await verifyAll(worker, [first], alg);
      if (alg.startsWith('RS') || alg.startsWith('PS')) {
        assert.equal(Buffer.from(jwks.keys[0].n, 'base64url').length * 8, 2048, 'SIGNING_RSA_BITS defaults to 2048');
      }

      const rotated = await call(worker, '/admin/signing-keys/rotate', { method: 'POST', admin: true });
      assert.equal(rotated.status, 201, rotated.text);
      const second = await token(worker, key);
      assert.equal(kidOf(second), rotated.json.kid);
      assert.notEqual(kidOf(second), kidOf(first));
      await verifyAll(worker, [first, second], alg);

      // Imported staged: stored, not published, not signing; then activated.
      const foreign = await foreignJwk(alg, `imported-${alg}`);
      const staged = await call(worker, '/admin/signing-keys', { method: 'POST', admin: true, body: { key: foreign, activate: false } });
      assert.equal(staged.status, 201, staged.text);
      assert.deepEqual(staged.json, { kid: foreign.kid });
      const published = (await call(worker, '/.well-known/jwks.json')).json.keys.map((k) => k.kid);
      assert.ok(!published.includes(foreign.kid), 'a staged key is not in the JWKS');
      assert.equal(kidOf(await token(worker, key)), rotated.json.kid);
      const activated = await call(worker, `/admin/signing-keys/${foreign.kid}/activate`, { method: 'POST', admin: true });
      assert.equal(activated.status, 200, activated.text);
      const third = await token(worker, key);
      assert.equal(kidOf(third), foreign.kid);
      await verifyAll(worker, [first, second, third], alg);
      // The token verifies with the imported key's own public half too, as its owner would check it.
      const { d, p, q, dp, dq, qi, ...publicJwk } = foreign;
      await jose.jwtVerify(third, await jose.importJWK(publicJwk, alg), { issuer: worker.url });

      const listed = await call(worker, '/admin/signing-keys', { admin: true });
      const status = Object.fromEntries(listed.json.keys.map((k) => [k.kid, k.status]));
      assert.deepEqual([status[kidOf(first)], status[kidOf(second)], status[foreign.kid]], ['retiring', 'retiring', 'current']);
      assert.ok(!listed.text.includes(foreign.d), 'the listing holds no private member');
      // The gateway takes the Worker's own tokens from every key in the set.
      for (const t of [first, third]) assert.equal((await fetch(`${worker.url}/api/x`, { headers: { authorization: `Bearer ${t}` } })).status, 200);
    } finally {
      await worker.stop();
    }
  });
}

test('imports that cannot sign are 400 with the reason, and conflicts 404/409', async () => {
  const worker = await startWorker({ vars: { SIGNING_ALG: 'RS256' } });
  try {
    const post = (body) => call(worker, '/admin/signing-keys', { method: 'POST', admin: true, body });
    const rsa = await foreignJwk('RS256', 'rsa-1');
    const { d, p, q, dp, dq, qi, ...publicJwk } = rsa;
    const refusals = [
      [{ key: publicJwk }, /public/],
      [{ key: { ...(await foreignJwk('ES256', 'ec')) } }, /ES256.*RS256/],
      [{ key: { ...rsa, alg: 'PS256' } }, /PS256.*RS256/],
      [{ key: { ...generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' }) } }, /2048/],
      [{ key: { ...rsa, kid: 'a/b' } }, /kid/],
      [{ key: rsa, activate: 'yes' }, /activate/],
      [{}, /"key" is required/],
      [{ key: 42 }, /private JWK object or a PKCS#8 PEM/],
      [{ key: '-----BEGIN PUBLIC KEY-----\nAAEC\n-----END PUBLIC KEY-----' }, /unusable/],
    ];
    for (const [body, reason] of refusals) {
      const refused = await post(body);
      assert.equal(refused.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${refused.text}`);
      assert.equal(refused.json.error, 'invalid_request');
      assert.match(refused.json.message, reason);
      assert.ok(!refused.text.includes(rsa.d.slice(0, 16)), 'no key material in an error');
    }
    // PKCS#8 PEM goes in as well; its kid is the RFC 7638 thumbprint.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' });
    const fromPem = await post({ key: pem, activate: false });
    assert.equal(fromPem.status, 201, fromPem.text);
    assert.equal(fromPem.json.kid, await jose.calculateJwkThumbprint(privateKey.export({ format: 'jwk' })));

    assert.equal((await post({ key: rsa })).status, 201);
    const again = await post({ key: rsa });
    assert.equal(again.status, 409, again.text);
    assert.equal((await call(worker, '/admin/signing-keys/nope/activate', { method: 'POST', admin: true })).status, 404);
    assert.equal((await post({ key: await foreignJwk('RS256', 'rsa-2') })).status, 201);
    const retired = await call(worker, '/admin/signing-keys/rsa-1/activate', { method: 'POST', admin: true });
    assert.equal(retired.status, 409, 'a key that has been current is not made current again');
    assert.equal((await call(worker, '/admin/signing-keys', { method: 'POST', body: { key: rsa } })).status, 401);
    assert.equal((await call(worker, '/admin/signing-keys', { method: 'DELETE', admin: true })).status, 405);
  } finally {
    await worker.stop();
  }
});

test('SIGNING_JWK becomes current on first use; the cron trigger leaves it while ROTATE_AFTER_DAYS is off', async () => {
  const jwk = await foreignJwk('RS256', 'mlab-2024');
  const worker = await startWorker({ vars: { SIGNING_ALG: 'RS256', SIGNING_JWK: JSON.stringify({ ...jwk, use: 'sig' }) }, scheduled: true });
  try {
    const key = await apiKey(worker);
    const t = await token(worker, key);
    assert.equal(kidOf(t), 'mlab-2024');
    const jwks = await verifyAll(worker, [t], 'RS256');
    assert.deepEqual(jwks.keys.map((k) => k.kid), ['mlab-2024']);
    const ran = await worker.scheduled();
    assert.equal(ran.status, 200, ran.text);
    assert.equal(kidOf(await token(worker, key)), 'mlab-2024');
    // A rotation still works, and the secret does not come back once KV holds a current key.
    const rotated = await call(worker, '/admin/signing-keys/rotate', { method: 'POST', admin: true });
    assert.equal(kidOf(await token(worker, key)), rotated.json.kid);
  } finally {
    await worker.stop();
  }
});

test('a public key as SIGNING_JWK is config_invalid naming the setting only', async () => {
  const { d, p, q, dp, dq, qi, ...publicJwk } = await foreignJwk('RS256', 'pub');
  const worker = await startWorker({ vars: { SIGNING_ALG: 'RS256', SIGNING_JWK: JSON.stringify(publicJwk) } });
  try {
    const answer = await call(worker, '/.well-known/jwks.json');
    assert.equal(answer.status, 500);
    assert.equal(answer.json.error, 'config_invalid');
    assert.match(answer.json.message, /SIGNING_JWK/);
    assert.ok(!answer.text.includes(publicJwk.n.slice(0, 16)));
  } finally {
    await worker.stop();
  }
});

test('the cron trigger publishes the next key, makes it current on a later run, and deletes keys retired after their overlap', async () => {
  // 0.00003 days is about 2.6 s; the overlap is 2 s; no JWKS cache or propagation to wait for.
  const vars = { SIGNING_ALG: 'PS256', ROTATE_AFTER_DAYS: '0.00003', KEY_OVERLAP_SECONDS: '2', SIGNING_RSA_BITS: '3072', JWKS_MAX_AGE_SECONDS: '0', KEY_PROPAGATION_SECONDS: '0' };
  const worker = await startWorker({ vars, scheduled: true });
  try {
    const key = await apiKey(worker);
    const a = await token(worker, key);
    const jwks = await verifyAll(worker, [a], 'PS256');
    assert.equal(Buffer.from(jwks.keys[0].n, 'base64url').length * 8, 3072, 'SIGNING_RSA_BITS');
    await sleep(3_000);
    assert.equal((await worker.scheduled()).status, 200);
    const published = (await call(worker, '/.well-known/jwks.json')).json.keys.map((k) => k.kid);
    assert.equal(published.length, 2, 'the next key is published before it signs');
    assert.equal(kidOf(await token(worker, key)), kidOf(a), 'and does not sign yet');
    assert.equal((await worker.scheduled()).status, 200);
    const b = await token(worker, key);
    assert.notEqual(kidOf(b), kidOf(a), 'rotated once the key had been current long enough');
    assert.ok(published.includes(kidOf(b)), 'the key that signs now is the one published ahead');
    await verifyAll(worker, [a, b], 'PS256');
    await sleep(3_000);
    assert.equal((await worker.scheduled()).status, 200);
    const listed = (await call(worker, '/admin/signing-keys', { admin: true })).json.keys.map((k) => k.kid);
    assert.ok(!listed.includes(kidOf(a)), 'the key retired after its overlap is deleted');
    assert.ok(listed.includes(kidOf(b)), 'the key retired just now is still in its overlap');
    assert.match(worker.output(), /rotated, the current signing key is now/);
  } finally {
    await worker.stop();
  }
});

test('edgeauth keygen output goes straight into import-signing-key', async () => {
  execFileSync('cargo', ['build', '--quiet', '--features', 'cli', '--bin', 'edgeauth'], { cwd: ROOT });
  const cli = join(ROOT, 'target/debug/edgeauth');
  const worker = await startWorker({ vars: { SIGNING_ALG: 'RS256' } });
  try {
    const tokenFile = join(worker.dir, 'admin-token-for-cli');
    writeFileSync(tokenFile, worker.adminToken);
    const keygen = await run(cli, ['keygen', '--alg', 'RS256', '--kid', 'from-keygen']);
    const out = await run(cli, ['import-signing-key', '--url', worker.url, '--admin-token-file', tokenFile], keygen);
    assert.match(out, /^current signing key: from-keygen$/m);
    const key = await apiKey(worker);
    const t = await token(worker, key);
    assert.equal(kidOf(t), 'from-keygen');
    await verifyAll(worker, [t], 'RS256');
    const staged = await run(cli, ['import-signing-key', '--stage', '--url', worker.url, '--admin-token-file', tokenFile], await run(cli, ['keygen', '--alg', 'RS256']));
    assert.match(staged, /^staged signing key \S+ \(activate: POST/m);
  } finally {
    await worker.stop();
  }
});
