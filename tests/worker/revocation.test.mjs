// Revocation counts from the next request in every location, end to end:
// two Workers in separate workerd processes share the local KV, as two
// Cloudflare locations share a namespace, and the second reaches the first's
// Durable Objects through wrangler's dev registry, as every location reaches
// the one instance of an object. The second has just verified the key (and
// would remember it for 30 s) when the first revokes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startWorker } from './harness.mjs';

const vars = {
  ECHO_ORIGIN: 'true',
  SESSION_SECRET: 'S'.repeat(48),
  GATEWAY_POLICY: JSON.stringify([{ prefix: '/api/', auth: ['api_key'] }, { prefix: '/dashboard/', auth: ['session'] }]),
};
const ADMIN = { username: 'ada', password: 'correct horse battery' };
// Names of their own: the dev registry finds Workers by name, and other test
// files run instances named "edgeauth" at the same time.
const HERE = `edgeauth-here-${process.pid}`;
const named = (name) => (toml) => toml.replace(/^name = .*$/m, `name = "${name}"`);
/** The second location: its own name, the first's objects. */
const elsewhere = (toml) => named(`edgeauth-there-${process.pid}`)(toml).replace(/^(class_name = ".*")$/gm, `$1\nscript_name = "${HERE}"`);

let here;
let there;
before(async () => {
  here = await startWorker({ vars, keep: true, configure: named(HERE) });
  there = await startWorker({ vars, state: join(here.dir, 'state'), configure: elsewhere });
});
after(async () => {
  await there?.stop();
  await here?.stop();
});

const send = (on, path, { method = 'GET', headers = {}, body } = {}) =>
  fetch(`${on.url}${path}`, { method, headers: { origin: on.url, 'content-type': 'application/json', ...headers }, body: body && JSON.stringify(body) });
const admin = () => ({ authorization: `Bearer ${here.adminToken}` });

test('a key revoked here is refused there on the next request, though there just verified it', async () => {
  const created = await (await send(here, '/admin/integrations', { method: 'POST', headers: admin(), body: { integration_id: 'acme' } })).json();
  const use = async (on) => (await send(on, '/api/x', { headers: { 'x-api-key': created.api_key } })).status;
  assert.deepEqual([await use(there), await use(there), await use(here)], [200, 200, 200]);
  assert.equal((await send(here, `/admin/keys/${created.key_id}`, { method: 'DELETE', headers: admin() })).status, 204);
  assert.deepEqual([await use(there), await use(here)], [401, 401]);
  const exchanged = await send(there, '/v0/token/integration', { method: 'POST', body: { api_key: created.api_key } });
  assert.equal(exchanged.status, 401);
});

test('a session ended here is refused there on the next request', async () => {
  assert.equal((await send(here, '/api/auth/signup', { method: 'POST', headers: admin(), body: ADMIN })).status, 201);
  const login = await send(here, '/api/auth/login', { method: 'POST', body: ADMIN });
  assert.equal(login.status, 200);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  assert.equal((await send(there, '/dashboard/', { headers: { cookie } })).status, 200);
  assert.equal((await send(here, '/api/auth/logout', { method: 'POST', headers: { cookie } })).status, 204);
  assert.equal((await send(there, '/dashboard/', { headers: { cookie } })).status, 401);
});
