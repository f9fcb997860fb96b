// The gateway's shared-secret schemes in workerd: a service token (header, or
// the `token` query parameter on a WebSocket upgrade only) and basic auth,
// both checked against hashes made by the edgeauth package.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { hashSecret } from 'edgeauth';
import { startWorker } from './harness.mjs';

const SERVICE_TOKEN = 'svc-' + 'x'.repeat(40);
const PASSWORD = 'correct horse: battery staple';
let worker;

before(async () => {
  worker = await startWorker({
    vars: {
      GATEWAY_POLICY: JSON.stringify([
        { prefix: '/svc/', auth: ['service_token'] },
        { prefix: '/basic/', auth: ['basic'] },
        { prefix: '/scoped/', auth: ['api_key'], scopes: ['admin'] },
      ]),
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

test('a service token in its header, never in the query of a plain request', async () => {
  const ok = await get('/svc/a', { 'x-service-token': SERVICE_TOKEN });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.auth.method, 'service_token');
  assert.ok(!ok.json.headers.includes('x-service-token'));
  assert.equal((await get('/svc/a', { 'x-service-token': SERVICE_TOKEN + 'x' })).status, 401);
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

test('a credential without the route\'s scope is 403 insufficient_scope', async () => {
  const created = await fetch(`${worker.url}/admin/integrations`, {
    method: 'POST', headers: { authorization: `Bearer ${worker.adminToken}` },
    body: JSON.stringify({ integration_id: 'scoped', scopes: ['read'] }),
  }).then((r) => r.json());
  const refused = await get('/scoped/x', { 'x-api-key': created.api_key });
  assert.equal(refused.status, 403);
  assert.equal(refused.json.error, 'insufficient_scope');
});
