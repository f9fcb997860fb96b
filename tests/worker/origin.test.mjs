// The gateway in front of a real origin: a Node HTTP server on loopback that
// records what reaches it. The Worker (in workerd, ORIGIN_URL set) must
// forward method, path, query and body, add the verified identity, and drop
// the caller's credentials, any X-Auth-* headers it sent (also spelled with
// `_`), method overrides and hop-by-hop headers. An origin that fails is the
// documented 503, not the runtime's 500.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { once } from 'node:events';
import { startWorker } from './harness.mjs';

let origin;
let worker;
const received = [];

before(async () => {
  origin = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks) });
    if (request.url.startsWith('/base/api/drop')) return request.socket.destroy();
    if (request.url.startsWith('/base/api/moved')) {
      response.writeHead(302, { location: 'http://elsewhere.example/landing' });
      return response.end();
    }
    response.writeHead(201, { 'content-type': 'text/plain', 'x-origin': 'yes' });
    response.end('from the origin');
  });
  origin.listen(0, '127.0.0.1');
  await once(origin, 'listening');
  worker = await startWorker({ vars: { ORIGIN_URL: `http://127.0.0.1:${origin.address().port}/base/` } });
});
after(async () => {
  await worker?.stop();
  origin?.close();
});

/** A GET sending `headers` as given: Node's fetch refuses hop-by-hop ones such as Connection. */
function rawGet(url, headers) {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('error', reject);
    request.end();
  });
}

/** A new integration's API key. */
async function apiKey(integration) {
  const created = await fetch(`${worker.url}/admin/integrations`, {
    method: 'POST', headers: { authorization: `Bearer ${worker.adminToken}` }, body: JSON.stringify({ integration_id: integration }),
  }).then((r) => r.json());
  return created.api_key;
}

/** What the origin received for one raw GET through the gateway. */
async function originSees(path, headers) {
  const before = received.length;
  assert.equal(await rawGet(`${worker.url}${path}`, headers), 201);
  assert.equal(received.length, before + 1);
  return received[before];
}

test('an authenticated request reaches the origin with its body and identity, without credentials', async () => {
  const created = await fetch(`${worker.url}/admin/integrations`, {
    method: 'POST', headers: { authorization: `Bearer ${worker.adminToken}` }, body: JSON.stringify({ integration_id: 'origin-co' }),
  }).then((r) => r.json());
  const body = Buffer.alloc(256 * 1024, 'b');
  const response = await fetch(`${worker.url}/api/upload?x=1`, {
    method: 'POST', body, headers: { 'x-api-key': created.api_key, 'x-auth-subject': 'spoofed', 'content-type': 'application/octet-stream' },
  });
  assert.equal(response.status, 201);
  assert.equal(response.headers.get('x-origin'), 'yes');
  assert.equal(await response.text(), 'from the origin');
  const [seen] = received;
  assert.deepEqual([seen.method, seen.url], ['POST', '/base/api/upload?x=1']);
  assert.ok(seen.body.equals(body), 'the body arrives whole');
  assert.equal(seen.headers['x-auth-method'], 'api_key');
  assert.equal(seen.headers['x-auth-subject'], 'origin-co');
  const claims = JSON.parse(Buffer.from(seen.headers['x-auth-claims'], 'base64url'));
  assert.deepEqual([claims.int_id, claims.key_id, claims.hash], ['origin-co', created.key_id, undefined]);
  assert.equal(seen.headers['x-api-key'], undefined);
  assert.equal(seen.headers.authorization, undefined);
});

test('spoofed identity, method overrides and hop-by-hop headers never reach the origin', async () => {
  const seen = await originSees('/api/hops', {
    'x-api-key': await apiKey('hop-co'),
    'X-Auth_Subject': 'evil',
    'x-auth-method': 'evil',
    'X-HTTP-Method-Override': 'DELETE',
    Connection: 'x-secret-hop',
    'X-Secret-Hop': '1',
    'Keep-Alive': '1',
    'Proxy-Connection': 'keep-alive',
    'Proxy-Authorization': 'Basic eDp5',
    'X-Kept': 'yes',
  });
  assert.equal(seen.method, 'GET');
  assert.equal(seen.headers['x-kept'], 'yes', 'other headers still pass');
  assert.equal(seen.headers['x-auth-method'], 'api_key');
  assert.equal(seen.headers['x-auth-subject'], 'hop-co');
  for (const name of ['x-auth_subject', 'x-http-method-override', 'keep-alive', 'proxy-connection', 'proxy-authorization']) {
    assert.equal(seen.headers[name], undefined, name);
  }
  assert.doesNotMatch(seen.headers.connection ?? '', /secret/i);
});

// workerd removes Connection before the Worker sees the request but passes
// on the headers it names, so the gateway cannot know them (src/worker/origin.js).
test('a header the Connection header names never reaches the origin', { todo: 'workerd hides Connection from the Worker' }, async () => {
  const seen = await originSees('/api/hops', { 'x-api-key': await apiKey('hop-named-co'), Connection: 'x-secret-hop', 'X-Secret-Hop': '1' });
  assert.equal(seen.headers['x-secret-hop'], undefined);
});

test('a refused request never reaches the origin', async () => {
  const before = received.length;
  const refused = await fetch(`${worker.url}/api/upload`, { method: 'POST', body: 'x', headers: { 'x-api-key': 'eak_not_a_key' } });
  assert.equal(refused.status, 401);
  assert.equal(received.length, before);
});

test("the origin's redirects go back to the client, never followed with the identity", async () => {
  const created = await fetch(`${worker.url}/admin/integrations`, {
    method: 'POST', headers: { authorization: `Bearer ${worker.adminToken}` }, body: JSON.stringify({ integration_id: 'redirect-co' }),
  }).then((r) => r.json());
  const response = await fetch(`${worker.url}/api/moved`, { headers: { 'x-api-key': created.api_key }, redirect: 'manual' });
  assert.equal(response.status, 302);
  assert.equal(response.headers.get('location'), 'http://elsewhere.example/landing');
});

test('an origin that drops the connection is a 503 JSON error, and the Worker keeps serving', async () => {
  const created = await fetch(`${worker.url}/admin/integrations`, {
    method: 'POST', headers: { authorization: `Bearer ${worker.adminToken}` }, body: JSON.stringify({ integration_id: 'drop-co' }),
  }).then((r) => r.json());
  const headers = { 'x-api-key': created.api_key };
  const dropped = await fetch(`${worker.url}/api/drop`, { headers });
  assert.equal(dropped.status, 503);
  assert.equal(dropped.headers.get('retry-after'), '5');
  assert.equal((await dropped.json()).error, 'unavailable');
  assert.equal((await fetch(`${worker.url}/api/after-drop`, { headers })).status, 201);
});
