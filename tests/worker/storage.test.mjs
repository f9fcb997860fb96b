// What the Worker keeps in KV, read from the persisted local KV of a stopped
// instance: a signing key only sealed, an API key only as a hash. Then that
// KV spoiled: our own broken material answers 500 and blames no caller, and
// a KV that cannot be read answers 503 with Retry-After. The tests run in
// order on one instance's state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv, createHmac } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localKv, startWorker } from './harness.mjs';

let dir;
let worker;
let created;
let other;
let token;

const call = async (path, { method = 'GET', headers = {}, body } = {}) => {
  const response = await fetch(`${worker.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, headers: response.headers, json, text };
};
const admin = () => ({ authorization: `Bearer ${worker.adminToken}` });
const exchange = (apiKey) => call('/v0/token/integration', { method: 'POST', body: { api_key: apiKey } });

/** Starts the instance again on its state and URL (so its ISSUER), with `vars`. */
async function restart(vars = {}) {
  await worker.stop();
  worker = await startWorker({ dir, keep: true, vars, port: worker.port });
}

/** The bytes of every value in the instance's local KV (wrangler dev's namespace). */
function storedValues() {
  const kv = join(dir, 'state', 'v3', 'kv');
  const namespaces = readdirSync(kv).filter((name) => !name.startsWith('miniflare-'));
  assert.ok(namespaces.length > 0, `no KV namespace under ${kv}`);
  return namespaces.flatMap((ns) => readdirSync(join(kv, ns, 'blobs')).map((blob) => readFileSync(join(kv, ns, 'blobs', blob), 'utf8')));
}

/** `sealed` (`v1.<nonce>.<ciphertext and tag>`) opened with AES-256-GCM, as src/at_rest.rs seals. */
function unseal(sealed, kekBase64url, context) {
  const [version, nonce, body] = sealed.split('.');
  assert.equal(version, 'v1');
  const bytes = Buffer.from(body, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(kekBase64url, 'base64url'), Buffer.from(nonce, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
}

/** Waits up to 5 s for the instance's log to show `pattern` (its lines come late). */
async function logged(pattern) {
  for (let i = 0; i < 50 && !pattern.test(worker.output()); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(worker.output(), pattern);
}

/** A value of the instance's .dev.vars. */
function devVar(name) {
  return readFileSync(join(dir, '.dev.vars'), 'utf8').match(new RegExp(`^${name}="([^"]*)"$`, 'm'))[1];
}

before(async () => {
  worker = await startWorker({ keep: true });
  dir = worker.dir;
  created = (await call('/admin/integrations', { method: 'POST', headers: admin(), body: { integration_id: 'stored-co' } })).json;
  other = (await call('/admin/integrations', { method: 'POST', headers: admin(), body: { integration_id: 'other-co' } })).json;
  token = (await exchange(created.api_key)).json.token;
  assert.ok(token && other.api_key);
});
after(async () => {
  await worker?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a signing key is stored only sealed, an API key only as a hash', async () => {
  const jwks = (await call('/.well-known/jwks.json')).json;
  await worker.stop();
  const values = storedValues();
  const secret = created.api_key.split('_')[2];
  for (const value of values) {
    assert.ok(!value.includes(secret), `the API key's secret is stored: ${value}`);
    assert.doesNotMatch(value, /"d"\s*:/, 'a private key member is stored in the clear');
  }
  const [publicJwk] = jwks.keys;
  const sealed = localKv(dir, 'key', 'get', `signing:key:${publicJwk.kid}`, '--text').trim();
  const kek = devVar('KEY_ENCRYPTION_KEY');
  const opened = JSON.parse(unseal(sealed, kek, `signing-key:${publicJwk.kid}`));
  assert.deepEqual([opened.x, opened.y, typeof opened.d], [publicJwk.x, publicJwk.y, 'string'], 'the sealed value is the current key');
  assert.throws(() => unseal(sealed, kek, 'signing-key:another-kid'), 'sealed bound to its name');
  const record = JSON.parse(localKv(dir, 'key', 'get', `apikey:${created.key_id}`, '--text'));
  const [, , salt, mac] = record.hash.split('$');
  assert.match(record.hash, /^\$hmac-sha256\$/);
  assert.equal(createHmac('sha256', Buffer.from(salt, 'base64')).update(created.api_key).digest('base64').replace(/=+$/, ''), mac, 'the hash is of the key');
  worker = await startWorker({ dir, keep: true, port: worker.port });
});

test('our own broken key, hash or sealed value is a 500 that blames no caller, never a 401', async () => {
  await worker.stop();
  const index = JSON.parse(localKv(dir, 'key', 'get', 'signing:index', '--text'));
  for (const entry of index.keys) entry.public_jwk.x = 'AAAA';
  localKv(dir, 'key', 'put', 'signing:index', JSON.stringify(index));
  const record = JSON.parse(localKv(dir, 'key', 'get', `apikey:${created.key_id}`, '--text'));
  localKv(dir, 'key', 'put', `apikey:${created.key_id}`, JSON.stringify({ ...record, hash: '$pbkdf2-sha256$i=not-a-number$AAAA$AAAA' }));
  // Another key-encryption key: the stored signing key no longer opens.
  const kek = devVar('KEY_ENCRYPTION_KEY');
  writeFileSync(join(dir, '.dev.vars'), readFileSync(join(dir, '.dev.vars'), 'utf8').replace(kek, Buffer.alloc(32, 7).toString('base64url')));
  await restart();
  const ours = {
    'a broken stored hash, at the exchange': await exchange(created.api_key),
    'a broken stored hash, at the gateway': await call('/api/x', { headers: { 'x-api-key': created.api_key } }),
    'a sealed key that does not open': await exchange(other.api_key),
    'a broken public key in the index': await call('/api/x', { headers: { authorization: `Bearer ${token}` } }),
  };
  for (const [what, answer] of Object.entries(ours)) {
    assert.deepEqual([answer.status, answer.json], [500, { error: 'internal', message: 'internal error' }], what);
    assert.equal(answer.headers.get('www-authenticate'), null, what);
  }
  // The cause is in the log, never in the answer.
  for (const cause of ['stored hash', 'encrypted at rest does not open', 'EC coordinate']) await logged(new RegExp(`edgeauth: internal error: .*${cause}`));
});

test('a KV that cannot be read answers 503 with Retry-After; the health check still answers', async () => {
  await worker.stop();
  // The namespace's database, made unreadable (the metadata stays).
  const objects = join(dir, 'state', 'v3', 'kv', 'miniflare-KVNamespaceObject');
  const databases = readdirSync(objects).filter((name) => !name.startsWith('metadata'));
  assert.ok(databases.some((name) => name.endsWith('.sqlite')), `no KV database in ${objects}`);
  for (const name of databases) {
    if (name.endsWith('.sqlite')) writeFileSync(join(objects, name), 'not a database'.repeat(512));
    else rmSync(join(objects, name));
  }
  // Without the dev bootstrap, so that each route's own read is what fails.
  await restart({ BOOTSTRAP_DEV_SIGNING_KEY: 'false' });
  const answers = {
    jwks: await call('/.well-known/jwks.json'),
    exchange: await exchange(other.api_key),
    gateway: await call('/api/x', { headers: { 'x-api-key': other.api_key } }),
    admin: await call('/admin/keys', { headers: admin() }),
  };
  for (const [what, answer] of Object.entries(answers)) {
    assert.deepEqual([answer.status, answer.json?.error], [503, 'unavailable'], `${what}: ${answer.text}`);
    assert.ok(Number(answer.headers.get('retry-after')) > 0, what);
  }
  assert.equal((await call('/health')).status, 200);
});
