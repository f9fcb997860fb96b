// Third-party secrets end to end in workerd: an admin stores one
// (PUT /admin/secrets/{name}), a rule's `inject` adds it to the requests it
// forwards to a real origin, and it never comes back out: not from the admin
// API, not in any answer, not in plaintext in the persisted local KV.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker } from './harness.mjs';
import { call, now, signHs256, startOrigin } from './systems.mjs';

const JWT_SECRET = 'J'.repeat(32);
const LLM_KEY = 'sk-live-0123456789abcdef';
let origin;
let worker;

before(async () => {
  origin = await startOrigin();
  worker = await startWorker({
    vars: {
      ORIGIN_URL: origin.url,
      APP_SECRET: JWT_SECRET,
      JWT_PROVIDERS: JSON.stringify([{ type: 'hmac', name: 'app', secret_env: 'APP_SECRET', any_audience: true, algorithms: ['HS256'] }]),
      GATEWAY_POLICY: JSON.stringify([
        { prefix: '/llm/', auth: ['jwt'], inject: [{ header: 'Authorization', value: 'Bearer ${secret:llm}' }, { header: 'X-Upstream-Key', value: '${secret:llm}' }] },
        { prefix: '/other/', auth: ['jwt'], inject: { header: 'X-Missing', value: '${secret:never-stored}' } },
      ]),
    },
  });
});
after(async () => {
  await worker?.stop();
  await origin?.close();
});
beforeEach(() => origin?.takeAll());

const admin = (path, method = 'GET', body) => call(worker, path, { method, headers: { authorization: `Bearer ${worker.adminToken}`, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
const user = (path, headers = {}) => call(worker, path, { method: 'POST', headers: { authorization: `Bearer ${signHs256({ sub: 'u1', exp: now() + 60 }, JWT_SECRET)}`, ...headers }, body: '{}' });

/** Every file under `dir`, read as bytes. */
function persisted(dir) {
  return readdirSync(dir, { recursive: true }).map((name) => join(dir, name)).filter((path) => statSync(path).isFile()).map((path) => readFileSync(path));
}

test('a stored secret is injected into forwarded requests, replacing what the client sent', async () => {
  assert.equal((await admin('/admin/secrets/llm', 'PUT', { value: LLM_KEY })).status, 204);
  const answer = await user('/llm/chat', { 'x-upstream-key': 'client-chosen', 'x-upstream_key': 'client-chosen' });
  assert.equal(answer.status, 200, answer.text);
  const seen = origin.take();
  assert.equal(seen.headers.authorization, `Bearer ${LLM_KEY}`);
  assert.equal(seen.headers['x-upstream-key'], LLM_KEY);
  assert.equal(seen.headers['x-upstream_key'], undefined, 'a CGI-style origin reads it as X-Upstream-Key');
  assert.equal(seen.headers['x-auth-subject'], 'u1');
  assert.ok(!answer.text.includes(LLM_KEY));
});

test('a caller without credentials gets nothing of it', async () => {
  const answer = await call(worker, '/llm/chat', { method: 'POST', headers: { 'x-upstream-key': 'x' } });
  assert.equal(answer.status, 401);
  assert.equal(origin.takeAll().length, 0);
});

test('the admin API lists names only, and KV holds the value sealed', async () => {
  await admin('/admin/secrets/llm', 'PUT', { value: LLM_KEY });
  const listed = await admin('/admin/secrets');
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.json.secrets.map((s) => s.name), ['llm']);
  assert.ok(!listed.text.includes(LLM_KEY));
  const stored = persisted(join(worker.dir, 'state'));
  assert.ok(stored.length > 0);
  assert.ok(stored.every((bytes) => !bytes.includes(LLM_KEY)), 'the secret is in plaintext in the local KV');
});

test('the admin API refuses what it cannot store or serve', async () => {
  assert.equal((await call(worker, '/admin/secrets/llm', { method: 'PUT', body: JSON.stringify({ value: 'x' }) })).status, 401);
  assert.equal((await admin('/admin/secrets/llm', 'PUT', { value: 'a\r\nx-auth-method: admin' })).status, 400);
  assert.equal((await admin('/admin/secrets/llm', 'PUT', { value: '' })).status, 400);
  assert.equal((await admin('/admin/secrets/llm', 'PUT', { value: 'x'.repeat(4097) })).status, 400);
  assert.equal((await admin('/admin/secrets/llm', 'PUT', { value: 42 })).status, 400);
  assert.equal((await admin('/admin/secrets/b%20d', 'PUT', { value: 'x' })).status, 404);
  assert.equal((await admin('/admin/secrets/llm', 'POST', { value: 'x' })).status, 405);
  assert.equal((await admin('/admin/secrets', 'POST')).status, 405);
});

test('a secret the policy names but nobody stored is our fault: 500, nothing forwarded', async () => {
  const answer = await user('/other/x');
  assert.equal(answer.status, 500, answer.text);
  assert.deepEqual(answer.json, { error: 'internal', message: 'internal error' });
  assert.equal(origin.takeAll().length, 0);
});

test('a deleted secret is no longer sent', async () => {
  await admin('/admin/secrets/gone-soon', 'PUT', { value: 'v' });
  assert.equal((await admin('/admin/secrets/llm', 'DELETE')).status, 204);
  assert.equal((await admin('/admin/secrets/llm', 'DELETE')).status, 404);
  assert.equal((await user('/llm/chat')).status, 500);
  assert.equal(origin.takeAll().length, 0);
  assert.equal((await admin('/admin/secrets/llm', 'PUT', { value: LLM_KEY })).status, 204);
  assert.equal((await user('/llm/chat')).status, 200);
  assert.equal(origin.take().headers['x-upstream-key'], LLM_KEY);
});
