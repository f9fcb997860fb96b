// Recipe: edgeauth in front of the CloudMon status dashboard
// (/work/shared/reference/cloudmon-status-dashboard.txt). The metrics
// reporter signs `{"stackmon": "dummy"}` once, HS256 with the shared secret's
// bytes, no exp, iat or iss, and sends it as `Authorization: Bearer` on
// `POST /v1/component_status`. Reads (the status pages, the component list)
// stay public. The example secrets are about 20 characters, shorter than
// HS256's 32 bytes: hence allow_short_secret.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './harness.mjs';
import { assertRefused, call, identityOf, now, signHs256, startOrigin } from './systems.mjs';

const SECRET = 'your-shared-secret-key'; // 22 bytes, the reference's own example
let origin;
let worker;

before(async () => {
  origin = await startOrigin();
  worker = await startWorker({
    vars: {
      ORIGIN_URL: origin.url,
      STATUS_DASHBOARD_SECRET: SECRET,
      JWT_PROVIDERS: JSON.stringify([
        { type: 'hmac', name: 'cloudmon-reporter', secret_env: 'STATUS_DASHBOARD_SECRET', allow_short_secret: true, require_exp: false, any_audience: true, algorithms: ['HS256'] },
      ]),
      GATEWAY_POLICY: JSON.stringify([
        // The dashboard checks the same token again itself: it goes on too.
        { prefix: '/', auth: ['jwt'], forward_credentials: true },
        { prefix: '/', methods: ['GET', 'HEAD'], auth: 'public' },
      ]),
    },
  });
});
after(async () => {
  await worker?.stop();
  await origin?.close();
});
// A test that failed leaves nothing behind for the next one.
beforeEach(() => origin?.takeAll());

// The reporter's token, byte for byte: the `jwt` crate's header {"typ","alg"}
// and the BTreeMap claims, as in the reference's example token.
const reporterToken = (secret) => signHs256({ stackmon: 'dummy' }, secret);
const componentStatus = JSON.stringify({ name: 'Object Storage Service', impact: 1, attributes: [{ name: 'region', value: 'EU-DE' }] });

test("the reporter's token, as the reference shows it, passes on POST /v1/component_status", async () => {
  const token = reporterToken(SECRET);
  assert.ok(token.startsWith('eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdGFja21vbiI6ImR1bW15In0.'), 'same header and payload as the reference');
  const result = await call(worker, '/v1/component_status', {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: componentStatus,
  });
  assert.equal(result.status, 200, result.text);
  assert.equal(result.headers.get('x-origin'), 'recording');
  const seen = origin.take();
  assert.deepEqual([seen.method, seen.url, seen.body], ['POST', '/v1/component_status', componentStatus]);
  const identity = identityOf(seen);
  assert.equal(identity.method, 'jwt');
  assert.deepEqual([identity.claims, identity.subject], [{ stackmon: 'dummy' }, 'cloudmon-reporter']);
  assert.equal(seen.headers.authorization, `Bearer ${token}`, 'the dashboard checks it again');
});

test('a token signed with another secret, or none at all, is refused before the origin', async () => {
  const post = (headers) => call(worker, '/v1/component_status', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: componentStatus });
  assertRefused(await post({ authorization: `Bearer ${reporterToken('another-shared-secret')}` }));
  const missing = await post({});
  assertRefused(missing);
  assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="edgeauth"', 'no credential: the bare challenge');
  assert.equal(origin.takeAll().length, 0);
});

test('require_exp false still refuses an expired token, and only HS256 is accepted', async () => {
  const post = (token) => call(worker, '/v1/component_status', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: componentStatus });
  assertRefused(await post(signHs256({ stackmon: 'dummy', exp: now() - 3600 }, SECRET)));
  const hs512 = signHs256({ stackmon: 'dummy' }, SECRET, { typ: 'JWT', alg: 'HS512' });
  assertRefused(await post(hs512));
  assert.equal(origin.takeAll().length, 0);
});

test('status pages and the component list stay public, forwarded without identity', async () => {
  for (const path of ['/', '/incidents/42', '/v1/component_status', '/v2/components?region=EU-DE']) {
    const result = await call(worker, path);
    assert.equal(result.status, 200, `${path}: ${result.text}`);
    const seen = origin.take();
    assert.equal(seen.url, path);
    assert.equal(identityOf(seen).method, undefined);
  }
});
