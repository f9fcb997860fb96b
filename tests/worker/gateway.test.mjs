// The gateway cannot be talked past: which rule applies, which path is
// matched and forwarded, how a refusal challenges, what a broken setting
// reveals, and the identity JWT an origin can verify. The built Worker in
// workerd, in front of the echo origin and of a real loopback origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { once } from 'node:events';
import * as jose from 'jose';
import { hashSecret } from 'edgeauth';
import { startWorker } from './harness.mjs';

let echo;
let forwarding;
let origin;
const received = [];

before(async () => {
  origin = createServer((request, response) => {
    received.push({ url: request.url, headers: request.headers });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{}');
  });
  origin.listen(0, '127.0.0.1');
  await once(origin, 'listening');
  const policy = JSON.stringify([
    { prefix: '/api/', auth: 'public' },
    { prefix: '/api/', methods: ['DELETE'], auth: ['jwt'] },
    { prefix: '/basic/', auth: ['basic', 'jwt'] },
    { prefix: '/keyed/', auth: ['api_key'] },
  ]);
  const users = JSON.stringify({
    ada: hashSecret('a long enough password', { algorithm: 'sha256' }),
    zed: hashSecret('zed is not guessable', { algorithm: 'sha256' }),
  });
  [echo, forwarding] = await Promise.all([
    startWorker({ vars: { ECHO_ORIGIN: 'true', GATEWAY_POLICY: policy, BASIC_USERS: users, API_KEY_HEADER: 'X-Acme-Key', GATEWAY_FAILURE_LIMIT: '3/60' } }),
    startWorker({ vars: { ORIGIN_URL: `http://127.0.0.1:${origin.address().port}/base`, FORWARD_IDENTITY_JWT: 'true' } }),
  ]);
});
after(async () => {
  await Promise.all([echo?.stop(), forwarding?.stop()]);
  origin?.close();
});

/** Sends `path` exactly as written (fetch would normalize it). */
function raw(base, method, path) {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}${path}`, { method, path }, async (response) => {
      let text = '';
      for await (const chunk of response) text += chunk;
      let json;
      try { json = JSON.parse(text); } catch { json = undefined; }
      resolve({ status: response.status ?? response.statusCode, headers: response.headers, json });
    });
    request.on('error', reject);
    request.end();
  });
}

test('a rule listing the method beats one listing none, whatever their order', async () => {
  assert.equal((await raw(echo.url, 'DELETE', '/api/x')).status, 401, 'an unauthenticated DELETE was forwarded');
  assert.equal((await raw(echo.url, 'GET', '/api/x')).status, 200);
  assert.equal((await raw(echo.url, 'DELETE', '/api')).status, 401, '/api/ covers /api');
});

test('one canonical path is matched and forwarded; ambiguous ones are 400', async () => {
  const decoded = await raw(echo.url, 'GET', '/%61pi/x');
  assert.deepEqual([decoded.status, decoded.json.path], [200, '/api/x']);
  assert.equal((await raw(echo.url, 'DELETE', '/%61pi/x')).status, 401);
  for (const path of ['/api%2Fx', '/api/a%2fb', '/api/a%5Cb', '/api/a%00b', '/api//x', '//api/x', '/api;x/y', '/api/..;/x', '/;/api/x']) {
    const refused = await raw(echo.url, 'DELETE', path);
    assert.deepEqual([refused.status, refused.json?.error], [400, 'invalid_path'], path);
  }
});

test('a basic-first route challenges with Basic, and refusals say nothing of why', async () => {
  const none = await raw(echo.url, 'GET', '/basic/x');
  assert.equal(none.status, 401);
  assert.match(none.headers['www-authenticate'], /^Basic realm="edgeauth"/);
  const wrong = await fetch(`${echo.url}/basic/x`, { headers: { authorization: `Basic ${Buffer.from('ada:wrong').toString('base64')}` } });
  const unknown = await fetch(`${echo.url}/basic/x`, { headers: { authorization: `Basic ${Buffer.from('bob:a long enough password').toString('base64')}` } });
  assert.deepEqual([wrong.status, unknown.status], [401, 401]);
  assert.deepEqual(await wrong.json(), await unknown.json());
  const right = await fetch(`${echo.url}/basic/x`, { headers: { authorization: `Basic ${Buffer.from('ada:a long enough password').toString('base64')}` } });
  assert.equal((await right.json()).auth.subject, 'ada');
});

test('a broken setting is named in config_invalid, its content only in the log', async () => {
  const broken = await startWorker({ vars: { GATEWAY_POLICY: JSON.stringify([{ prefix: '/b/', auth: ['basic'] }]), ECHO_ORIGIN: 'true', BASIC_USERS: JSON.stringify({ 'secret-user-name': 'plaintext-password' }) } });
  try {
    const response = await fetch(`${broken.url}/b/x`);
    const body = await response.text();
    assert.equal(response.status, 500);
    assert.match(body, /config_invalid/);
    assert.match(body, /BASIC_USERS/);
    assert.doesNotMatch(body, /secret-user-name|plaintext/);
    for (let i = 0; i < 50 && !/secret-user-name/.test(broken.output()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(broken.output(), /secret-user-name/, 'the detail is logged');
  } finally {
    await broken.stop();
  }
});

test('FORWARD_IDENTITY_JWT: the origin gets an identity JWT it verifies against the JWKS', async () => {
  const created = await fetch(`${forwarding.url}/admin/integrations`, {
    method: 'POST', headers: { authorization: `Bearer ${forwarding.adminToken}` }, body: JSON.stringify({ integration_id: 'jwt-co' }),
  }).then((r) => r.json());
  const response = await fetch(`${forwarding.url}/api/hello`, { headers: { 'x-api-key': created.api_key } });
  assert.equal(response.status, 200);
  const token = received.at(-1).headers['x-auth-token'];
  assert.ok(token, 'no X-Auth-Token reached the origin');
  const jwks = jose.createRemoteJWKSet(new URL(`${forwarding.url}/.well-known/jwks.json`));
  const { payload } = await jose.jwtVerify(token, jwks, { issuer: forwarding.url, audience: `http://127.0.0.1:${origin.address().port}` });
  assert.deepEqual([payload.sub, payload.auth_method, payload.claims.int_id], ['jwt-co', 'api_key', 'jwt-co']);
  assert.ok(payload.exp - payload.iat <= 60);
  assert.equal(jose.decodeProtectedHeader(token).typ, 'edgeauth-identity+jwt');
  const spoofed = await fetch(`${forwarding.url}/api/hello`, { headers: { 'x-api-key': created.api_key, 'x-auth-token': 'forged' } });
  assert.equal(spoofed.status, 200);
  assert.notEqual(received.at(-1).headers['x-auth-token'], 'forged');
});

test('API_KEY_HEADER moves the API key to another header, at the gateway and the token exchange', async () => {
  const created = await fetch(`${echo.url}/admin/integrations`, {
    method: 'POST', headers: { authorization: `Bearer ${echo.adminToken}` }, body: JSON.stringify({ integration_id: 'acme' }),
  }).then((r) => r.json());
  const through = await fetch(`${echo.url}/keyed/x`, { headers: { 'x-acme-key': created.api_key } });
  const seen = await through.json();
  assert.deepEqual([through.status, seen.auth.subject], [200, 'acme']);
  assert.ok(!seen.headers.includes('x-acme-key'), 'the key reached the origin');
  assert.equal((await fetch(`${echo.url}/keyed/x`, { headers: { 'x-api-key': created.api_key } })).status, 401);
  const exchanged = await fetch(`${echo.url}/v0/token/integration`, { method: 'POST', headers: { 'x-acme-key': created.api_key } });
  assert.equal(exchanged.status, 200);
});

test("the Worker's own routes are chosen on the canonical path too", async () => {
  const admin = await raw(echo.url, 'GET', '/%61dmin/keys');
  assert.deepEqual([admin.status, admin.json?.error], [401, 'invalid_token'], 'an admin route spelled otherwise reached the gateway');
  const jwks = await raw(echo.url, 'GET', '/.well-known/jwks%2Ejson');
  assert.equal(jwks.status, 200);
  assert.ok(Array.isArray(jwks.json.keys));
});

test("a plain request's token parameter reaches the origin exactly as sent", async () => {
  const seen = await raw(echo.url, 'GET', '/api/reset?token=abc&next=%2Fhome+page');
  assert.deepEqual([seen.status, seen.json.query], [200, '?token=abc&next=%2Fhome+page']);
});

test('Basic guesses are counted in the Durable Object: past the budget even the right password waits', async () => {
  const basic = (password) => fetch(`${echo.url}/basic/x`, { headers: { authorization: `Basic ${Buffer.from(`zed:${password}`).toString('base64')}` } });
  for (const guess of ['guess one', 'guess two', 'guess three']) assert.equal((await basic(guess)).status, 401, guess);
  const paused = await basic('zed is not guessable');
  assert.deepEqual([paused.status, (await paused.json()).error], [429, 'too_many_attempts']);
  assert.ok(Number(paused.headers.get('retry-after')) > 0);
});
