// Recipe: edgeauth in front of Kure Monitor's backend
// (/work/shared/reference/kure-monitor.txt). The agent and the security
// scanner send the shared SERVICE_TOKEN (Helm: randAlphaNum 48) in
// X-Service-Token on the ingest routes, and as ?token= on their WebSocket
// (agent/clients/websocket_client.py: `<backend>/ws?token=<token>`). The
// dashboard's own traffic carries the kure_session cookie, which the backend
// checks itself: at the gateway it is public, as are /metrics and
// /api/auth/* (/health the Worker answers itself). Each ingest prefix also
// has a public rule without methods, so the dashboard's GET on the same path
// is not refused (the longest prefix decides, and a method it does not list
// would be a 404).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startWorker } from './harness.mjs';
import { assertNoCredentials, assertRefused, call, hmacSha256Hash, identityOf, startOrigin } from './systems.mjs';

const SERVICE_TOKEN = 'Kq3v8ZpL0xYt7RmN2bWc5HdJ9sFgA4eU6iOkT1yQwErPzXnM'; // 48 alphanumerics, like Helm's randAlphaNum 48
assert.equal(SERVICE_TOKEN.length, 48);

/** The ingest routes of the reference, with a concrete path for each. */
const INGEST = [
  { method: 'POST', prefix: '/api/pods/failed/', path: '/api/pods/failed' },
  { method: 'POST', prefix: '/api/pods/dismiss-deleted/', path: '/api/pods/dismiss-deleted' },
  { method: 'POST', prefix: '/api/security/findings/', path: '/api/security/findings' },
  { method: 'POST', prefix: '/api/security/scan/clear/', path: '/api/security/scan/clear' },
  { method: 'POST', prefix: '/api/security/rescan-status/', path: '/api/security/rescan-status' },
  { method: 'DELETE', prefix: '/api/security/findings/resource/', path: '/api/security/findings/resource/Deployment/default/web' },
  { method: 'POST', prefix: '/api/metrics/security-scan-duration/', path: '/api/metrics/security-scan-duration' },
];

const KURE_POLICY = [
  // The public twin first: the rule that lists the method wins whatever the order.
  ...INGEST.flatMap(({ method, prefix }) => [
    { prefix, auth: 'public' },
    { prefix, methods: [method], auth: ['service_token'] },
  ]),
  { prefix: '/ws/', auth: ['service_token'] },
  { prefix: '/metrics', auth: 'public' },
  { prefix: '/api/auth/', auth: 'public' },
  { prefix: '/', auth: 'public' },
];

let origin;
let worker;

before(async () => {
  origin = await startOrigin();
  worker = await startWorker({
    vars: {
      ORIGIN_URL: origin.url,
      SERVICE_TOKEN_HASH: hmacSha256Hash(SERVICE_TOKEN),
      GATEWAY_POLICY: JSON.stringify(KURE_POLICY),
    },
  });
});
after(async () => {
  await worker?.stop();
  await origin?.close();
});
// A test that failed leaves nothing behind for the next one.
beforeEach(() => origin?.takeAll());

const payload = JSON.stringify({ namespace: 'default', pod_name: 'web-1', failure_reason: 'CrashLoopBackOff' });

test('every ingest route needs X-Service-Token; with it the request reaches the backend without it', async () => {
  for (const { method, path } of INGEST) {
    const send = (headers) => call(worker, path, { method, headers: { 'content-type': 'application/json', ...headers }, body: method === 'DELETE' ? undefined : payload });
    assertRefused(await send({}));
    assertRefused(await send({ 'X-Service-Token': SERVICE_TOKEN.slice(0, -1) + 'x' }));
    assert.equal(origin.takeAll().length, 0, `${method} ${path}: refused before the backend`);
    const ok = await send({ 'X-Service-Token': SERVICE_TOKEN });
    assert.equal(ok.status, 200, `${method} ${path}: ${ok.text}`);
    const seen = origin.take();
    assert.deepEqual([seen.method, seen.url], [method, path]);
    assert.equal(identityOf(seen).method, 'service_token');
    assertNoCredentials(seen);
  }
});

test('the token in the query of a plain request is not accepted (WebSocket upgrades only)', async () => {
  assertRefused(await call(worker, `/api/pods/failed?token=${SERVICE_TOKEN}`, { method: 'POST', body: payload }));
  assert.equal(origin.takeAll().length, 0);
});

test("the dashboard's traffic, /metrics and /api/auth/* pass as public, cookie and all", async () => {
  const cookie = 'kure_session=eyJhbGciOiJIUzI1NiJ9.e30.c2ln';
  const publicCalls = [
    ['GET', '/api/pods/failed'],
    ['GET', '/api/security/findings'],
    ['PATCH', '/api/pods/failed/7/status'],
    ['DELETE', '/api/security/findings/12'],
    ['GET', '/api/security/findings/12/manifest'],
    ['GET', '/api/auth/status'],
    ['POST', '/api/auth/login'],
    ['POST', '/api/auth/signup'],
    ['GET', '/metrics'],
    ['GET', '/'],
  ];
  for (const [method, path] of publicCalls) {
    const result = await call(worker, path, { method, headers: { cookie }, body: ['POST', 'PATCH'].includes(method) ? '{}' : undefined });
    assert.equal(result.status, 200, `${method} ${path}: ${result.text}`);
    const seen = origin.take();
    assert.deepEqual([seen.method, seen.url, seen.headers.cookie], [method, path, cookie]);
    assert.equal(identityOf(seen).method, undefined);
  }
});

// The dashboard also POSTs below two ingest prefixes (routes_pods.py,
// routes_security.py). A prefix covers everything below it, and the policy
// has no rule for one exact path, so these need the service token too.
test("the dashboard's POSTs below an ingest path pass as public", { todo: 'a rule cannot match one exact path (POST /api/pods/failed but not /api/pods/failed/{id}/troubleshoot)' }, async () => {
  const cookie = 'kure_session=eyJhbGciOiJIUzI1NiJ9.e30.c2ln';
  for (const path of ['/api/pods/failed/7/troubleshoot', '/api/pods/failed/7/retry-solution', '/api/security/findings/12/fix']) {
    const result = await call(worker, path, { method: 'POST', headers: { cookie }, body: '{}' });
    assert.equal(result.status, 200, `POST ${path}: ${result.text}`);
    assert.equal(origin.take().url, path);
  }
});

test("the agent's reads of routes it shares with the dashboard pass as public (reported: does its token reach the backend?)", async (t) => {
  // agent/clients/backend_client.py: GET /api/pods/failed and /api/admin/excluded-*, with X-Service-Token;
  // the backend accepts a session cookie or the token there (require_user_or_service).
  for (const path of ['/api/pods/failed', '/api/admin/excluded-namespaces']) {
    const result = await call(worker, path, { headers: { 'X-Service-Token': SERVICE_TOKEN } });
    assert.equal(result.status, 200, `${path}: ${result.text}`);
    const seen = origin.take();
    t.diagnostic(`GET ${path}: X-Service-Token reached the backend: ${seen.headers['x-service-token'] !== undefined}`);
  }
});

test('GET /health is answered by the Worker itself (reported, see the recipe)', async (t) => {
  const health = await call(worker, '/health');
  assert.equal(health.status, 200);
  const reached = origin.takeAll();
  t.diagnostic(`GET /health answered ${health.text}; reached the backend: ${reached.length > 0}`);
});

/** Opens a WebSocket through the Worker: { socket } once open, or { status } if refused. */
function openSocket(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${worker.url.replace('http://', 'ws://')}${path}`, { headers });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_, response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, body }));
    });
    socket.once('error', reject);
  });
}

test("the agent's WebSocket: no token or a wrong one is refused before the backend", async () => {
  for (const path of ['/ws', `/ws?token=${SERVICE_TOKEN.slice(0, -1)}x`]) {
    const refused = await openSocket(path);
    refused.socket?.terminate();
    assert.equal(refused.status, 401, `${path}: ${refused.body}`);
    assert.equal(JSON.parse(refused.body).error, 'invalid_token');
  }
  assert.equal(origin.upgrades.length, 0);
});

test("the agent's WebSocket with ?token= opens to the backend, the token stripped, messages flowing", async () => {
  const opened = await openSocket(`/ws?token=${SERVICE_TOKEN}&client=agent`);
  assert.ok(opened.socket, `refused: ${opened.status} ${opened.body}`);
  const { socket } = opened;
  try {
    const echoed = new Promise((resolve) => socket.once('message', (data) => resolve(String(data))));
    socket.send('{"type":"ping"}');
    assert.equal(await echoed, '{"type":"ping"}');
    const upgrade = origin.upgrades.at(-1);
    assert.equal(upgrade.url, '/ws?client=agent');
    assert.equal(upgrade.headers['x-auth-method'], 'service_token');
    assert.equal(upgrade.headers['x-service-token'], undefined);
  } finally {
    socket.terminate();
  }
});
