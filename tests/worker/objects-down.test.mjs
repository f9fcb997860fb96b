// The Durable Objects unreachable, end to end in workerd: the instance is
// restarted with its ACCOUNTS and KEY_STATUS bindings pointing at a Worker
// that is not running. Everything that needs an object (logins, sessions, API
// keys, whose revocation the per-key object decides) fails closed with 503
// and Retry-After; a JWT, which needs no object, still passes. And a
// missing KEY_STATUS binding is a configuration error, never a silent
// fallback to slower revocation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './harness.mjs';
import { signHs256, now } from './systems.mjs';

const SECRET = 'S'.repeat(48);
const JWT_SECRET = 'J'.repeat(32);
const ADMIN = { username: 'ada', password: 'correct horse battery' };
const vars = {
  ECHO_ORIGIN: 'true',
  SESSION_SECRET: SECRET,
  CLOUD_SECRET: JWT_SECRET,
  JWT_PROVIDERS: JSON.stringify([{ type: 'hmac', name: 'cloud', secret_env: 'CLOUD_SECRET', any_audience: true, algorithms: ['HS256'] }]),
  GATEWAY_POLICY: JSON.stringify([
    { prefix: '/dashboard/', auth: ['session'] },
    { prefix: '/api/', auth: ['jwt', 'api_key'] },
  ]),
};
/** The test wrangler.toml with every Durable Object bound to a Worker that does not run. */
const objectsElsewhere = (toml) => toml.replace(/^(class_name = ".*")$/gm, '$1\nscript_name = "edgeauth-absent"');

let worker;
let cookie;
let apiKey;

async function call(path, { method = 'GET', headers = {}, body } = {}) {
  const response = await fetch(`${worker.url}${path}`, { method, headers: { origin: worker.url, 'content-type': 'application/json', ...headers }, body: body && JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

before(async () => {
  const first = await startWorker({ vars, keep: true });
  worker = first;
  const admin = { authorization: `Bearer ${first.adminToken}` };
  assert.equal((await call('/api/auth/signup', { method: 'POST', headers: admin, body: ADMIN })).status, 201);
  const login = await fetch(`${first.url}/api/auth/login`, { method: 'POST', headers: { origin: first.url, 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  assert.equal(login.status, 200);
  cookie = login.headers.get('set-cookie').split(';')[0];
  const created = await call('/admin/integrations', { method: 'POST', headers: admin, body: { integration_id: 'acme' } });
  assert.equal(created.status, 201, created.text);
  apiKey = JSON.parse(created.text).api_key;
  assert.equal((await call('/dashboard/', { headers: { cookie } })).status, 200);
  assert.equal((await call('/api/data', { headers: { 'x-api-key': apiKey } })).status, 200);
  await first.stop();
  worker = await startWorker({ vars, dir: first.dir, configure: objectsElsewhere });
});
after(async () => { await worker?.stop(); });

function assertUnavailable(answer) {
  assert.equal(answer.status, 503, answer.text);
  assert.match(answer.headers.get('retry-after') ?? '', /^\d+$/);
  assert.equal(JSON.parse(answer.text).error, 'unavailable');
}

test('a session cookie is not taken on trust: 503', async () => {
  assertUnavailable(await call('/dashboard/', { headers: { cookie } }));
});

test('a login fails closed: 503, and no cookie', async () => {
  const answer = await call('/api/auth/login', { method: 'POST', body: ADMIN });
  assertUnavailable(answer);
  assert.equal(answer.headers.get('set-cookie'), null);
});

test('an API key, whose revocation the object decides, fails closed: at the gateway and at the exchange', async () => {
  assertUnavailable(await call('/api/data', { headers: { 'x-api-key': apiKey } }));
  assertUnavailable(await call('/v0/token/integration', { method: 'POST', body: { api_key: apiKey } }));
});

test('a JWT needs no object and still passes', async () => {
  const token = signHs256({ sub: 'reporter', exp: now() + 60 }, JWT_SECRET);
  const answer = await call('/api/data', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(answer.status, 200, answer.text);
});

test('without the KEY_STATUS binding, exactness is not lost silently: config_invalid unless EXACT_REVOCATION=false', async () => {
  const unbound = (toml) => toml.replace(/\[\[durable_objects\.bindings\]\]\nname = "KEY_STATUS"\nclass_name = "KeyStatusObject"\n/, '');
  const refusing = await startWorker({ vars: { ECHO_ORIGIN: 'true' }, configure: unbound });
  try {
    const answer = await fetch(`${refusing.url}/api/x`);
    assert.equal(answer.status, 500);
    assert.deepEqual(await answer.json(), { error: 'config_invalid', message: 'the setting KEY_STATUS is missing or invalid' });
  } finally {
    await refusing.stop();
  }
  const relaxed = await startWorker({ vars: { ECHO_ORIGIN: 'true', EXACT_REVOCATION: 'false' }, configure: unbound });
  try {
    assert.equal((await fetch(`${relaxed.url}/api/x`)).status, 401);
  } finally {
    await relaxed.stop();
  }
});
