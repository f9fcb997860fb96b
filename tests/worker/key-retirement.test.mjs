// The Worker's signing keys in workerd: a retired key leaves the JWKS when its
// overlap ends and its tokens stop verifying; production (no
// BOOTSTRAP_DEV_SIGNING_KEY) never makes a key by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { startWorker } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits up to 5 s for wrangler's output to show `pattern` (its log lines come late). */
async function logged(worker, pattern) {
  for (let i = 0; i < 50 && !pattern.test(worker.output()); i++) await sleep(100);
  assert.match(worker.output(), pattern);
}

/** A client of `worker`: JSON in and out, with its admin token when asked. */
function client(worker) {
  return async (path, { method = 'GET', headers = {}, body, admin = false } = {}) => {
    const auth = admin ? { authorization: `Bearer ${worker.adminToken}` } : {};
    const response = await fetch(`${worker.url}${path}`, { method, headers: { ...auth, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: response.status, json, text };
  };
}

test('a retired key leaves the JWKS after KEY_OVERLAP_SECONDS, and its tokens stop verifying', async () => {
  const worker = await startWorker({ vars: { KEY_OVERLAP_SECONDS: '1' } });
  try {
    const call = client(worker);
    const { json: { api_key } } = await call('/admin/integrations', { method: 'POST', admin: true, body: { integration_id: 'overlap-co' } });
    const exchange = async () => (await call('/v0/token/integration', { method: 'POST', body: { api_key } })).json.token;
    const old = await exchange();
    const oldKid = jose.decodeProtectedHeader(old).kid;
    const rotated = await call('/admin/signing-keys/rotate', { method: 'POST', admin: true });
    assert.equal(rotated.status, 201);
    const kids = async () => (await call('/.well-known/jwks.json')).json.keys.map((k) => k.kid).sort();
    assert.deepEqual(await kids(), [oldKid, rotated.json.kid].sort(), 'both keys during the overlap');
    assert.equal((await call('/api/x', { headers: { authorization: `Bearer ${old}` } })).status, 200);
    // The overlap ends one whole second after the rotation's second.
    await sleep(2_100);
    assert.deepEqual(await kids(), [rotated.json.kid], 'the retired key has left the JWKS');
    const refused = await call('/api/x', { headers: { authorization: `Bearer ${old}` } });
    assert.deepEqual([refused.status, refused.json?.error], [401, 'invalid_token'], 'a token of the retired key no longer verifies');
    const jwks = jose.createLocalJWKSet((await call('/.well-known/jwks.json')).json);
    await assert.rejects(jose.jwtVerify(old, jwks), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    assert.equal((await call('/api/x', { headers: { authorization: `Bearer ${await exchange()}` } })).status, 200, 'the new key signs and verifies');
  } finally {
    await worker.stop();
  }
});

test('production (no BOOTSTRAP_DEV_SIGNING_KEY) never makes a signing key by itself', async () => {
  const worker = await startWorker({ vars: { BOOTSTRAP_DEV_SIGNING_KEY: 'false' } });
  try {
    const call = client(worker);
    assert.deepEqual((await call('/.well-known/jwks.json')).json, { keys: [] });
    const { json: { api_key } } = await call('/admin/integrations', { method: 'POST', admin: true, body: { integration_id: 'prod-co' } });
    const exchange = () => call('/v0/token/integration', { method: 'POST', body: { api_key } });
    const unsigned = await exchange();
    assert.deepEqual([unsigned.status, unsigned.json?.error], [500, 'internal'], unsigned.text);
    await logged(worker, /no signing key: provision one/);
    assert.deepEqual((await call('/.well-known/jwks.json')).json, { keys: [] }, 'a request made no key either');
    const provisioned = await call('/admin/signing-keys/rotate', { method: 'POST', admin: true });
    assert.equal(provisioned.status, 201);
    assert.deepEqual((await call('/.well-known/jwks.json')).json.keys.map((k) => k.kid), [provisioned.json.kid]);
    assert.equal((await exchange()).status, 200);
  } finally {
    await worker.stop();
  }
});
