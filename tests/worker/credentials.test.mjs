// The gateway's shared-secret schemes in workerd: a service token (in a
// configured header, or the `token` query parameter on a WebSocket upgrade
// only) and basic auth, both checked against hashes made by the edgeauth
// package; and scopes, for API keys and the tokens exchanged for them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { hashSecret } from 'edgeauth';
import { startWorker } from './harness.mjs';

const SERVICE_TOKEN = 'svc-' + 'x'.repeat(40);
const SERVICE_HEADER = 'X-Internal-Token';
const PASSWORD = 'correct horse: battery staple';
let worker;

before(async () => {
  worker = await startWorker({
    vars: {
      GATEWAY_POLICY: JSON.stringify([
        { prefix: '/svc/', auth: ['service_token'] },
        { prefix: '/basic/', auth: ['basic'] },
        { prefix: '/scoped/', auth: ['jwt', 'api_key'], scopes: ['admin'] },
      ]),
      SERVICE_TOKEN_HEADER: SERVICE_HEADER,
      API_KEY_PREFIX: 'acme',
      SERVICE_TOKEN_HASH: hashSecret(SERVICE_TOKEN, { algorithm: 'sha256' }),
      BASIC_USERS: JSON.stringify({ ada: hashSecret(PASSWORD, { algorithm: 'pbkdf2-sha256', iterations: 10_000 }) }),
    },
  });
});
after(async () => { await worker?.stop(); });

const get = async (path, headers = {}) => {
  const response = await fetch(`${worker.url}${path}`, { headers });
  return { status: response.status, json: await response.json() };
};

test('a service token in its configured header, stripped before the origin, never in the query of a plain request', async () => {
  const ok = await get('/svc/a', { [SERVICE_HEADER]: SERVICE_TOKEN });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.auth.method, 'service_token');
  assert.ok(!ok.json.headers.includes(SERVICE_HEADER.toLowerCase()));
  assert.equal((await get('/svc/a', { [SERVICE_HEADER]: SERVICE_TOKEN + 'x' })).status, 401);
  assert.equal((await get(`/svc/a?token=${SERVICE_TOKEN}`)).status, 401);
});

/** A GET that asks to upgrade to a WebSocket (fetch may not send Upgrade). */
function upgradeRequest(path) {
  return new Promise((resolve, reject) => {
    const headers = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };
    const req = httpRequest(`${worker.url}${path}`, { headers }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, json: JSON.parse(body) }));
    });
    req.on('upgrade', () => reject(new Error('unexpected 101')));
    req.on('error', reject);
    req.end();
  });
}

test('a service token in the query of a WebSocket upgrade, stripped before the origin', async () => {
  const upgraded = await upgradeRequest(`/svc/ws?token=${SERVICE_TOKEN}&room=1`);
  assert.equal(upgraded.status, 200);
  assert.equal(upgraded.json.auth.method, 'service_token');
  assert.equal(upgraded.json.query, '?room=1');
});

test('basic auth against a PBKDF2 hash, malformed headers refused cleanly', async () => {
  const basic = (user, password) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
  const ok = await get('/basic/a', basic('ada', PASSWORD));
  assert.equal(ok.status, 200);
  assert.deepEqual([ok.json.auth.method, ok.json.auth.subject], ['basic', 'ada']);
  assert.equal((await get('/basic/a', basic('ada', 'wrong'))).status, 401);
  assert.equal((await get('/basic/a', basic('bob', PASSWORD))).status, 401);
  for (const bad of ['Basic', 'Basic !!!', 'Basic  YWRh', 'basic YWRh']) {
    const refused = await get('/basic/a', { authorization: bad });
    assert.equal(refused.status, 401, bad);
    assert.equal(refused.json.error, 'invalid_token');
  }
});

async function integration(id, scopes) {
  const created = await fetch(`${worker.url}/admin/integrations`, {
    method: 'POST', headers: { authorization: `Bearer ${worker.adminToken}` },
    body: JSON.stringify({ integration_id: id, scopes }),
  }).then((r) => r.json());
  const exchanged = await fetch(`${worker.url}/v0/token/integration`, { method: 'POST', body: JSON.stringify({ api_key: created.api_key }) });
  return { apiKey: created.api_key, token: (await exchanged.json()).token };
}

test('keys carry the configured prefix; a key and its token open the routes their scopes allow', async () => {
  const reader = await integration('scoped-reader', ['read']);
  assert.ok(reader.apiKey.startsWith('acme_'));
  for (const credential of [{ 'x-api-key': reader.apiKey }, { authorization: `Bearer ${reader.token}` }]) {
    const refused = await get('/scoped/x', credential);
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error, 'insufficient_scope');
  }
  const admin = await integration('scoped-admin', ['read', 'admin']);
  const viaKey = await get('/scoped/x', { 'x-api-key': admin.apiKey });
  const viaToken = await get('/scoped/x', { authorization: `Bearer ${admin.token}` });
  assert.deepEqual([viaKey.status, viaToken.status], [200, 200]);
  assert.equal(viaToken.json.auth.claims.scope, 'read admin');
});
