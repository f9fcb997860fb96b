// Integrations and their keys end to end in workerd, as M-Lab runs them:
// keys issued per audience (autojoin and integration kept apart), expiry,
// more keys per integration (a key rotated without downtime), listing
// without hashes, the last use written after the response, deleting an
// integration, a gateway rule that requires an audience, and the bound on
// TOKEN_LIFETIME_SECONDS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './harness.mjs';

let worker;
before(async () => {
  worker = await startWorker({
    vars: { ECHO_ORIGIN: 'true', GATEWAY_POLICY: JSON.stringify([{ prefix: '/int/', auth: ['api_key'], audiences: ['integration'] }]) },
  });
});
after(async () => { await worker?.stop(); });

async function call(path, { method = 'GET', body, headers = {} } = {}) {
  const response = await fetch(`${worker.url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body && JSON.stringify(body) });
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, json, text };
}
const admin = (path, method = 'GET', body) => call(path, { method, body, headers: { authorization: `Bearer ${worker.adminToken}` } });
const exchange = (apiKey, audience) => call(`/v0/token/${audience}`, { method: 'POST', body: { api_key: apiKey } });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => Math.floor(Date.now() / 1000);

test('a key exchanges only for the audiences it was issued for; the default is all', async () => {
  const autojoin = await admin('/admin/integrations', 'POST', { integration_id: 'autojoin-node', audiences: ['autojoin'] });
  assert.equal(autojoin.status, 201, autojoin.text);
  assert.equal((await exchange(autojoin.json.api_key, 'autojoin')).status, 200);
  const other = await exchange(autojoin.json.api_key, 'integration');
  assert.equal(other.status, 401);
  assert.deepEqual(other.json, (await exchange('eak_not-a-key', 'integration')).json, 'the same answer as any refused key');
  const everywhere = await admin('/admin/integrations', 'POST', { integration_id: 'client-a' });
  for (const audience of ['autojoin', 'integration']) assert.equal((await exchange(everywhere.json.api_key, audience)).status, 200);
});

test('a gateway rule naming an audience takes only keys issued for it', async () => {
  const autojoin = await admin('/admin/integrations', 'POST', { integration_id: 'gw-autojoin', audiences: ['autojoin'] });
  const integration = await admin('/admin/integrations', 'POST', { integration_id: 'gw-integration', audiences: ['integration'] });
  assert.equal((await call('/int/x', { headers: { 'x-api-key': autojoin.json.api_key } })).status, 401);
  assert.equal((await call('/int/x', { headers: { 'x-api-key': integration.json.api_key } })).status, 200);
});

test('what no key may be is a 400 naming the field; an existing integration is a 409', async () => {
  for (const [body, field] of [[{ audiences: ['elsewhere'] }, 'audiences'], [{ audiences: [] }, 'audiences'], [{ expires_at: now() - 10 }, 'expires_at'],
    [{ expires_at: 'next week' }, 'expires_at'], [{ scopes: ['a b'] }, 'scopes'], [{ tier: -1 }, 'tier']]) {
    const refused = await admin('/admin/integrations', 'POST', { integration_id: 'bad-co', ...body });
    assert.equal(refused.status, 400, JSON.stringify(body));
    assert.match(refused.json.message, new RegExp(field));
  }
  await admin('/admin/integrations', 'POST', { integration_id: 'twice-co' });
  assert.equal((await admin('/admin/integrations', 'POST', { integration_id: 'twice-co' })).status, 409);
  assert.equal((await admin('/admin/integrations/no-such-co/keys', 'POST', {})).status, 404);
});

test('an expired key is refused, also when the isolate verified it a moment before', async () => {
  const created = await admin('/admin/integrations', 'POST', { integration_id: 'short-lived', expires_at: now() + 2 });
  assert.equal((await exchange(created.json.api_key, 'integration')).status, 200);
  await sleep(3000);
  assert.equal((await exchange(created.json.api_key, 'integration')).status, 401);
  const rfc3339 = await admin('/admin/integrations', 'POST', { integration_id: 'dated', expires_at: '2099-12-31T23:59:59Z' });
  assert.equal((await admin('/admin/integrations/dated')).json.keys[0].expires_at, 4102444799);
  assert.equal((await exchange(rfc3339.json.api_key, 'integration')).status, 200);
});

test('a second key rotates without downtime; listing shows keys, their last use, never a hash', async () => {
  const first = await admin('/admin/integrations', 'POST', { integration_id: 'rotating', tier: 2, scopes: ['read'] });
  const second = await admin('/admin/integrations/rotating/keys', 'POST', { audiences: ['integration'], key_description: 'next' });
  assert.equal(second.status, 201, second.text);
  assert.equal(second.json.integration_id, 'rotating');
  for (const key of [first, second]) assert.equal((await exchange(key.json.api_key, 'integration')).status, 200);
  let shown;
  for (let tries = 0; tries < 20; tries++) {
    shown = await admin('/admin/integrations/rotating');
    if (shown.json.keys.every((key) => key.last_used_at !== null)) break;
    await sleep(100);
  }
  assert.equal(shown.status, 200);
  assert.deepEqual(shown.json.keys.map((key) => key.key_id), [first.json.key_id, second.json.key_id]);
  for (const key of shown.json.keys) {
    assert.equal(key.status, 'active');
    assert.ok(Math.abs(key.last_used_at - now()) < 10, `last_used_at ${key.last_used_at}`);
  }
  assert.deepEqual(shown.json.keys[1].audiences, ['integration']);
  assert.ok(!/hash|\$pbkdf2|\$hmac/.test(shown.text), shown.text);
  const listed = await admin('/admin/integrations');
  assert.ok(listed.json.integrations.some((integration) => integration.integration_id === 'rotating' && integration.keys.length === 2));
  assert.ok(!/hash|\$pbkdf2|\$hmac/.test(listed.text));
});

test('deleting an integration revokes all its keys at once', async () => {
  const first = await admin('/admin/integrations', 'POST', { integration_id: 'leaving' });
  const second = await admin('/admin/integrations/leaving/keys', 'POST', {});
  for (const key of [first, second]) assert.equal((await exchange(key.json.api_key, 'integration')).status, 200);
  assert.equal((await admin('/admin/integrations/leaving', 'DELETE')).status, 204);
  for (const key of [first, second]) assert.equal((await exchange(key.json.api_key, 'integration')).status, 401);
  assert.equal((await admin('/admin/integrations/leaving')).status, 404);
  assert.equal((await admin('/admin/integrations/leaving', 'DELETE')).status, 404);
});

test('TOKEN_LIFETIME_SECONDS outside 1 to 3600 is config_invalid, naming it', async () => {
  const broken = await startWorker({ vars: { TOKEN_LIFETIME_SECONDS: '86400' } });
  try {
    const answer = await fetch(`${broken.url}/v0/token/integration`, { method: 'POST' });
    assert.equal(answer.status, 500);
    assert.match((await answer.json()).message, /TOKEN_LIFETIME_SECONDS/);
  } finally {
    await broken.stop();
  }
});
