// The Worker end to end in workerd with real local KV: admin API, token
// exchange, JWKS verified with jose, the gateway to the echo origin,
// revocation, rotation with overlap, restart on persisted state, bad input,
// the 16 KiB body limit (chunked bodies too).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, startWorker } from './harness.mjs';

let worker;
before(async () => { worker = await startWorker({ keep: true }); });
after(async () => { await worker?.stop(); });

const admin = () => ({ authorization: `Bearer ${worker.adminToken}` });

async function call(path, { method = 'GET', headers = {}, body, base = worker.url } = {}) {
  const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, headers: response.headers, json, text };
}

async function createIntegration(id, extra = {}, on = worker) {
  const headers = { authorization: `Bearer ${on.adminToken}` };
  const created = await call('/admin/integrations', { method: 'POST', headers, base: on.url, body: { integration_id: id, tier: 2, scopes: ['read'], ...extra } });
  assert.equal(created.status, 201, created.text);
  return created.json;
}

async function exchange(apiKey, audience = 'integration') {
  return call(`/v0/token/${audience}`, { method: 'POST', body: { api_key: apiKey } });
}

function errorShape(result, status, code) {
  assert.equal(result.status, status, result.text);
  assert.equal(result.json?.error, code, result.text);
  assert.equal(typeof result.json?.message, 'string');
}

test('create an integration, exchange its key three ways, verify with jose against the JWKS', async () => {
  const { integration_id, key_id, api_key } = await createIntegration('acme');
  assert.equal(integration_id, 'acme');
  const ways = [
    () => exchange(api_key),
    () => call('/v0/token/integration', { method: 'POST', headers: { authorization: `Bearer ${api_key}` } }),
    () => call('/v0/token/integration', { method: 'POST', headers: { 'x-api-key': api_key } }),
  ];
  const jwksResponse = await call('/.well-known/jwks.json');
  assert.match(jwksResponse.headers.get('cache-control'), /public, max-age=\d+/);
  assert.ok(jwksResponse.headers.get('etag'));
  for (const key of jwksResponse.json.keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) assert.equal(key[member], undefined);
  const jwks = jose.createLocalJWKSet(jwksResponse.json);
  for (const way of ways) {
    const { status, json } = await way();
    assert.equal(status, 200);
    const { payload, protectedHeader } = await jose.jwtVerify(json.token, jwks, { issuer: worker.url, audience: 'integration', algorithms: ['ES256'] });
    assert.deepEqual([payload.int_id, payload.key_id, payload.tier], ['acme', key_id, 2]);
    assert.equal(payload.exp - payload.iat, 20);
    assert.ok(protectedHeader.kid && payload.jti && payload.nbf);
  }
  const revalidated = await fetch(`${worker.url}/.well-known/jwks.json`, { headers: { 'if-none-match': jwksResponse.headers.get('etag') } });
  assert.equal(revalidated.status, 304);
});

test('the gateway forwards the verified identity and strips spoofed headers', async () => {
  const { api_key } = await createIntegration('gateway-co');
  const { json: { token } } = await exchange(api_key);
  const spoof = { 'x-auth-method': 'admin', 'x-auth-subject': 'root', 'x-auth-claims': 'e30' };
  const viaJwt = await call('/api/things?x=1', { headers: { authorization: `Bearer ${token}`, ...spoof } });
  assert.equal(viaJwt.status, 200, viaJwt.text);
  assert.equal(viaJwt.json.auth.method, 'jwt');
  assert.equal(viaJwt.json.auth.subject, 'gateway-co');
  assert.equal(viaJwt.json.auth.claims.aud, 'integration');
  assert.ok(!viaJwt.json.headers.includes('authorization'));
  const viaKey = await call('/api/things', { headers: { 'x-api-key': api_key, ...spoof } });
  assert.equal(viaKey.json.auth.method, 'api_key');
  assert.equal(viaKey.json.auth.claims.int_id, 'gateway-co');
  assert.equal(viaKey.json.auth.claims.hash, undefined);
  const open = await call('/public/page', { headers: spoof });
  assert.equal(open.status, 200);
  assert.equal(open.json.auth, null);
  const refused = await call('/api/things', { headers: spoof });
  errorShape(refused, 401, 'invalid_token');
  assert.equal(refused.headers.get('www-authenticate'), 'Bearer realm="edgeauth"', 'no error code without a credential (RFC 6750 3.1)');
  const wrong = await call('/api/things', { headers: { 'x-api-key': 'eak_garbage' } });
  assert.match(wrong.headers.get('www-authenticate'), /^Bearer realm="edgeauth", error="invalid_token"/);
  errorShape(await call('/nowhere'), 404, 'not_found');
});

test('a revoked key is refused at exchange and at the gateway', async () => {
  const { key_id, api_key } = await createIntegration('revoked-co');
  assert.equal((await exchange(api_key)).status, 200);
  const listed = await call('/admin/keys', { headers: admin() });
  const record = listed.json.keys.find((k) => k.keyId === key_id);
  assert.equal(record.status, 'active');
  assert.equal(record.hash, undefined);
  assert.equal((await call(`/admin/keys/${key_id}`, { method: 'DELETE', headers: admin() })).status, 204);
  errorShape(await exchange(api_key), 401, 'invalid_token');
  errorShape(await call('/api/x', { headers: { 'x-api-key': api_key } }), 401, 'invalid_token');
  errorShape(await call('/admin/keys/nope', { method: 'DELETE', headers: admin() }), 404, 'not_found');
});

test('rotation keeps the previous key in the JWKS and its tokens valid', async () => {
  const { api_key } = await createIntegration('rotate-co');
  const before = (await exchange(api_key)).json.token;
  const rotated = await call('/admin/signing-keys/rotate', { method: 'POST', headers: admin() });
  assert.equal(rotated.status, 201);
  const after = (await exchange(api_key)).json.token;
  assert.equal(jose.decodeProtectedHeader(after).kid, rotated.json.kid);
  const jwks = (await call('/.well-known/jwks.json')).json;
  assert.ok(jwks.keys.length >= 2);
  const set = jose.createLocalJWKSet(jwks);
  for (const token of [before, after]) await jose.jwtVerify(token, set, { issuer: worker.url });
  assert.equal((await call('/api/x', { headers: { authorization: `Bearer ${before}` } })).status, 200);
});

test('after a rotation the old ETag gets 200 with the new key set, never 304; the ETag is strong', async () => {
  const jwks = (headers = {}) => fetch(`${worker.url}/.well-known/jwks.json`, { headers });
  const first = await jwks();
  const etag = first.headers.get('etag');
  assert.match(etag, /^"[^"]+"$/, 'a strong ETag: quoted, no W/ (RFC 9110 section 8.8.3)');
  assert.equal((await jwks({ 'if-none-match': etag })).status, 304);
  const rotated = await call('/admin/signing-keys/rotate', { method: 'POST', headers: admin() });
  assert.equal(rotated.status, 201);
  const fresh = await jwks({ 'if-none-match': etag });
  assert.equal(fresh.status, 200, 'the old ETag no longer matches');
  assert.ok((await fresh.json()).keys.some((key) => key.kid === rotated.json.kid), 'with the new key');
  const newTag = fresh.headers.get('etag');
  assert.match(newTag, /^"[^"]+"$/);
  assert.notEqual(newTag, etag);
  assert.equal((await jwks({ 'if-none-match': newTag })).status, 304);
});

test('a request with both a JWT and an API key is judged by the JWT first', async () => {
  const jwtCo = await createIntegration('jwt-first-co');
  const keyCo = await createIntegration('key-second-co');
  const { json: { token } } = await exchange(jwtCo.api_key);
  const both = await call('/api/x', { headers: { authorization: `Bearer ${token}`, 'x-api-key': keyCo.api_key } });
  assert.equal(both.status, 200, both.text);
  assert.deepEqual([both.json.auth.method, both.json.auth.claims.int_id], ['jwt', 'jwt-first-co']);
  // A JWT that fails does not end the chain: the key is tried next.
  const [header, payload] = token.split('.');
  const forged = `${header}.${payload}.${Buffer.alloc(64).toString('base64url')}`;
  const fallback = await call('/api/x', { headers: { authorization: `Bearer ${forged}`, 'x-api-key': keyCo.api_key } });
  assert.equal(fallback.status, 200, fallback.text);
  assert.deepEqual([fallback.json.auth.method, fallback.json.auth.claims.int_id], ['api_key', 'key-second-co']);
});

test('every 401 has the same body, whatever the reason; the reason goes to the log only', async () => {
  const { key_id, api_key } = await createIntegration('refused-co');
  const { json: { token } } = await exchange(api_key);
  assert.equal((await call(`/admin/keys/${key_id}`, { method: 'DELETE', headers: admin() })).status, 204);
  const [header, payload] = token.split('.');
  const bearer = (value) => ({ authorization: `Bearer ${value}` });
  const refusals = {
    'no credential': await call('/api/x'),
    'a malformed Authorization header': await call('/api/x', { headers: { authorization: 'Bearer  two spaces' } }),
    'a forged signature': await call('/api/x', { headers: bearer(`${header}.${payload}.${Buffer.alloc(64).toString('base64url')}`) }),
    'alg none': await call('/api/x', { headers: bearer(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`) }),
    'a revoked key': await call('/api/x', { headers: { 'x-api-key': api_key } }),
    'a revoked key, at the exchange': await exchange(api_key),
    'a key that fails its checksum': await exchange(`${api_key.slice(0, -1)}${api_key.endsWith('A') ? 'B' : 'A'}`),
    'a wrong admin token': await call('/admin/keys', { headers: bearer('wrong') }),
  };
  const [expected] = Object.values(refusals).map((r) => r.text);
  for (const [reason, refused] of Object.entries(refusals)) {
    assert.equal(refused.status, 401, reason);
    assert.equal(refused.text, expected, `${reason}: the body tells nothing of the reason`);
  }
  assert.deepEqual(JSON.parse(expected), { error: 'invalid_token', message: 'the credential is missing, malformed, unknown, revoked or expired' });
  for (const code of ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_CREDENTIAL_REVOKED', 'ERR_CREDENTIAL_MALFORMED', 'admin: wrong token']) {
    for (let i = 0; i < 50 && !worker.output().includes(`credential refused: ${code}`); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(worker.output().includes(`credential refused: ${code}`), `${code} is logged`);
  }
});

test('bad input gets its documented status and the Worker keeps serving', async () => {
  const { api_key } = await createIntegration('abuse-co');
  errorShape(await call('/v0/token/integration', { method: 'POST', body: '{not json' }), 400, 'invalid_request');
  errorShape(await call('/v0/token/integration', { method: 'POST', body: { api_key: 7 } }), 400, 'invalid_request');
  errorShape(await call('/v0/token/integration', { method: 'POST', body: {} }), 400, 'invalid_request');
  const wrongMethod = await call('/v0/token/integration');
  errorShape(wrongMethod, 405, 'method_not_allowed');
  assert.equal(wrongMethod.headers.get('allow'), 'POST');
  errorShape(await exchange(api_key, 'elsewhere'), 404, 'not_found');
  errorShape(await exchange('eak_garbage'), 401, 'invalid_token');
  errorShape(await call('/v0/token/integration', { method: 'POST', headers: { authorization: 'Bearer  two spaces' } }), 401, 'invalid_token');
  errorShape(await call('/api/x', { headers: { authorization: `Bearer ${'a'.repeat(60_000)}` } }), 401, 'invalid_token');
  errorShape(await call('/api/x', { headers: { authorization: 'Basic !!!' } }), 401, 'invalid_token');
  errorShape(await call('/admin/keys'), 401, 'invalid_token');
  errorShape(await call('/admin/keys', { headers: { authorization: 'Bearer wrong' } }), 401, 'invalid_token');
  errorShape(await call('/admin/integrations', { method: 'POST', headers: admin(), body: { integration_id: 'bad id!' } }), 400, 'invalid_request');
  assert.equal((await call('/health')).status, 200);
});

/** A token request for `apiKey` padded to exactly `size` bytes of JSON. */
function paddedBody(apiKey, size) {
  const bare = JSON.stringify({ api_key: apiKey, pad: '' });
  return JSON.stringify({ api_key: apiKey, pad: 'x'.repeat(size - bare.length) });
}

/**
 * POSTs `body` to `url` chunked, without Content-Length, in 1 KiB writes, and
 * never ends it: resolves to the answer that came while it was still open.
 */
function postUnended(url, body) {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error('no answer while the body was open: was it read to its end?'));
    }, 10_000);
    request.on('error', reject);
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (data) => (text += data));
      response.on('end', () => {
        clearTimeout(timer);
        request.destroy();
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: response.statusCode, json, text });
      });
    });
    for (let at = 0; at < body.length; at += 1024) request.write(body.slice(at, at + 1024));
  });
}

const MAX_BODY = 16 * 1024;

test('a body past 16 KiB with its Content-Length gets 413; one of exactly 16 KiB is read', async () => {
  const { api_key } = await createIntegration('big-body-co');
  const over = paddedBody(api_key, MAX_BODY + 1);
  assert.equal(Buffer.byteLength(over), MAX_BODY + 1);
  errorShape(await call('/v0/token/integration', { method: 'POST', body: over }), 413, 'payload_too_large');
  errorShape(await call('/admin/integrations', { method: 'POST', headers: admin(), body: over }), 413, 'payload_too_large');
  const atLimit = await call('/v0/token/integration', { method: 'POST', body: paddedBody(api_key, MAX_BODY) });
  assert.equal(atLimit.status, 200, atLimit.text);
  assert.equal(typeof atLimit.json?.token, 'string');
});

// On an instance of its own: after a request body cut short, wrangler dev's
// proxy fails the next request it forwards with a 503 of its own ("Your
// worker restarted mid-request"), which the Worker never sees.
test('a chunked body past 16 KiB gets 413 while it is still being sent', async () => {
  const own = await startWorker();
  try {
    const { api_key } = await createIntegration('chunked-co', {}, own);
    const answer = await postUnended(`${own.url}/v0/token/integration`, paddedBody(api_key, MAX_BODY + 4096));
    errorShape(answer, 413, 'payload_too_large');
  } finally {
    await own.stop();
  }
});

test('the CLI creates an integration through the admin API, whose key then exchanges', async () => {
  // Not execFileSync: a blocked event loop would keep fetch's idle
  // connections open while the Worker closes them.
  const run = promisify(execFile);
  await run('cargo', ['build', '--quiet', '--features', 'cli', '--bin', 'edgeauth'], { cwd: ROOT });
  const tokenFile = join(worker.dir, 'admin-token-for-cli');
  writeFileSync(tokenFile, worker.adminToken);
  const { stdout: out } = await run(join(ROOT, 'target/debug/edgeauth'), ['create-integration', '--integration-id', 'cli-co', '--url', worker.url, '--admin-token-file', tokenFile], { encoding: 'utf8' });
  const apiKey = out.match(/^API key \(shown once, give it to the integration\): (eak_\S+)$/m)?.[1];
  assert.ok(apiKey, out);
  assert.match(out, /^integration id: cli-co$/m);
  const exchanged = await exchange(apiKey);
  assert.equal(exchanged.status, 200, 'the key the CLI printed is the one the Worker stored');
  assert.equal(jose.decodeJwt(exchanged.json.token).int_id, 'cli-co');
});

test('a restart on the same state keeps every key and record', async () => {
  const { key_id, api_key } = await createIntegration('durable-co');
  const kids = (await call('/.well-known/jwks.json')).json.keys.map((k) => k.kid).sort();
  await worker.stop();
  worker = await startWorker({ dir: worker.dir });
  assert.deepEqual((await call('/.well-known/jwks.json')).json.keys.map((k) => k.kid).sort(), kids);
  assert.ok((await call('/admin/keys', { headers: admin() })).json.keys.some((k) => k.keyId === key_id));
  assert.equal((await exchange(api_key)).status, 200);
});

test('a broken setting fails every request with config_invalid, never open', async () => {
  const broken = await startWorker({ vars: { GATEWAY_POLICY: '{not a policy' } });
  try {
    const result = await fetch(`${broken.url}/api/x`).then(async (r) => ({ status: r.status, json: await r.json() }));
    assert.equal(result.status, 500);
    assert.equal(result.json.error, 'config_invalid');
    assert.match(result.json.message, /GATEWAY_POLICY/);
  } finally {
    await broken.stop();
  }
});
