// Recipe: edgeauth in front of Kure Monitor's backend
// (/work/shared/reference/kure-monitor.txt). The agent and the security
// scanner send the shared SERVICE_TOKEN (Helm: randAlphaNum 48) in
// X-Service-Token on the ingest routes, and as ?token= on their WebSocket
// (agent/clients/websocket_client.py: `<backend>/ws?token=<token>`). The
// dashboard's own traffic carries the kure_session cookie, which the backend
// checks itself: at the gateway it is public, as are /health, /metrics and
// /api/auth/* (the Worker's own health check moves to HEALTH_PATH). Each
// ingest route is an exact path with a public twin without methods, so the
// dashboard's GET on the same path is not refused (the best rule decides,
// and a method it does not list would be a 404), and its POSTs below it are
// left to the catch-all.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startWorker } from './harness.mjs';
import { assertRefused, call, hmacSha256Hash, identityOf, startOrigin } from './systems.mjs';

const SERVICE_TOKEN = 'Kq3v8ZpL0xYt7RmN2bWc5HdJ9sFgA4eU6iOkT1yQwErPzXnM'; // 48 alphanumerics, like Helm's randAlphaNum 48
assert.equal(SERVICE_TOKEN.length, 48);

/** The ingest routes of the reference, each as a rule pattern and a concrete path. */
const INGEST = [
  { method: 'POST', pattern: { path: '/api/pods/failed' }, path: '/api/pods/failed' },
  { method: 'POST', pattern: { path: '/api/pods/dismiss-deleted' }, path: '/api/pods/dismiss-deleted' },
  { method: 'POST', pattern: { path: '/api/security/findings' }, path: '/api/security/findings' },
  { method: 'POST', pattern: { path: '/api/security/scan/clear' }, path: '/api/security/scan/clear' },
  { method: 'POST', pattern: { path: '/api/security/rescan-status' }, path: '/api/security/rescan-status' },
  { method: 'DELETE', pattern: { prefix: '/api/security/findings/resource/' }, path: '/api/security/findings/resource/Deployment/default/web' },
  { method: 'POST', pattern: { path: '/api/metrics/security-scan-duration' }, path: '/api/metrics/security-scan-duration' },
];

// Kure's backend checks the token again itself (it cannot be told not to),
// so every rule forwards the credentials: the gateway refuses a wrong or
// missing token before the backend, and the backend still gets what it needs.
const KURE_POLICY = [
  // The public twin first: the rule that lists the method wins whatever the order.
  ...INGEST.flatMap(({ method, pattern }) => [
    { ...pattern, auth: 'public', forward_credentials: true },
    { ...pattern, methods: [method], auth: ['service_token'], forward_credentials: true },
  ]),
  // The dashboard opens the same /ws with its cookie and no token: the
  // backend decides there (until the gateway checks sessions itself).
  { path: '/ws', auth: 'public', forward_credentials: true },
  { prefix: '/', auth: 'public', forward_credentials: true },
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
      HEALTH_PATH: '/_edgeauth/health',
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

test('every ingest route needs X-Service-Token; with it the request reaches the backend, token and all', async () => {
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
    assert.equal(seen.headers['x-service-token'], SERVICE_TOKEN, 'the backend checks it again');
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

// The dashboard also POSTs below two ingest paths (routes_pods.py,
// routes_security.py): exact paths leave those to the public rule.
test("the dashboard's POSTs below an ingest path pass as public", async () => {
  const cookie = 'kure_session=eyJhbGciOiJIUzI1NiJ9.e30.c2ln';
  for (const path of ['/api/pods/failed/7/troubleshoot', '/api/pods/failed/7/retry-solution', '/api/security/findings/12/fix']) {
    const result = await call(worker, path, { method: 'POST', headers: { cookie }, body: '{}' });
    assert.equal(result.status, 200, `POST ${path}: ${result.text}`);
    assert.equal(origin.take().url, path);
  }
});

test("the agent's reads of routes it shares with the dashboard reach the backend with its token", async () => {
  // agent/clients/backend_client.py: GET /api/pods/failed and /api/admin/excluded-*, with X-Service-Token;
  // the backend accepts a session cookie or the token there (require_user_or_service).
  for (const path of ['/api/pods/failed', '/api/admin/excluded-namespaces']) {
    const result = await call(worker, path, { headers: { 'X-Service-Token': SERVICE_TOKEN } });
    assert.equal(result.status, 200, `${path}: ${result.text}`);
    assert.equal(origin.take().headers['x-service-token'], SERVICE_TOKEN);
  }
});

test("GET /health is the backend's; the Worker's own health check moved to HEALTH_PATH", async () => {
  const health = await call(worker, '/health');
  assert.equal(health.status, 200);
  assert.equal(origin.take().url, '/health');
  const own = await call(worker, '/_edgeauth/health');
  assert.deepEqual([own.status, JSON.parse(own.text).status], [200, 'ok']);
  assert.equal(origin.takeAll().length, 0);
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

test("the dashboard's WebSocket, with its cookie and no token, opens to the backend", async () => {
  const opened = await openSocket('/ws', { cookie: 'kure_session=eyJhbGciOiJIUzI1NiJ9.e30.c2ln' });
  assert.ok(opened.socket, `refused: ${opened.status} ${opened.body}`);
  opened.socket.terminate();
  assert.equal(origin.upgrades.at(-1).url, '/ws');
});

test("the agent's WebSocket with ?token= opens to the backend, token and all, messages flowing", async () => {
  const opened = await openSocket(`/ws?token=${SERVICE_TOKEN}&client=agent`);
  assert.ok(opened.socket, `refused: ${opened.status} ${opened.body}`);
  const { socket } = opened;
  try {
    const echoed = new Promise((resolve) => socket.once('message', (data) => resolve(String(data))));
    socket.send('{"type":"ping"}');
    assert.equal(await echoed, '{"type":"ping"}');
    assert.equal(origin.upgrades.at(-1).url, `/ws?token=${SERVICE_TOKEN}&client=agent`);
  } finally {
    socket.terminate();
  }
});
