// Every example in examples/ run as a user would run it: the two Workers
// through `wrangler dev` in workerd on a free loopback port (with their
// secrets given as vars, as .dev.vars would), the browser page in headless
// Chromium, the Node script in Node. Each is called as its comments say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Key, generateApiKey, sign } from 'edgeauth';
import { ROOT, startWorker } from '../worker/harness.mjs';
import { launchChromium, serve } from '../support/browser.mjs';

const EXAMPLES = join(ROOT, 'examples');
const ISSUER = 'https://auth.example.test';

/** An example Worker in `wrangler dev`, with `vars` as its secrets. */
function startExample(name, vars) {
  const dir = join(EXAMPLES, name);
  return startWorker({ config: join(dir, 'wrangler.toml'), main: join(dir, 'src', 'index.mjs'), readyPath: '/', vars });
}

async function call(url, init) {
  const response = await fetch(url, init);
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.text() };
}

test('the Hono Worker: a token or an API key on /api, the admin scope on /admin', async () => {
  const secret = 'e'.repeat(40);
  const apiKey = generateApiKey();
  const worker = await startExample('hono-worker', { JWT_SECRET: secret, API_KEY_HASHES: apiKey.hash });
  try {
    const key = Key.fromSecret(secret, 'HS256');
    const token = (scope) => sign({ sub: 'ada', scope }, key, { issuer: ISSUER, audience: 'api', expiresIn: 60 });
    const me = await call(`${worker.url}/api/me`, { headers: { authorization: `Bearer ${token('read')}` } });
    assert.equal(me.status, 200);
    assert.equal(JSON.parse(me.body).subject, 'ada');
    const byKey = await call(`${worker.url}/api/me`, { headers: { 'x-api-key': apiKey.token } });
    assert.deepEqual(JSON.parse(byKey.body), { method: 'key', subject: 'partners', claims: { key_set: 'partners' } });
    const none = await call(`${worker.url}/api/me`);
    assert.equal(none.status, 401);
    assert.equal(none.challenge, 'Bearer realm="edgeauth"');
    assert.equal((await call(`${worker.url}/admin/stats`, { headers: { authorization: `Bearer ${token('read')}` } })).status, 403);
    const admin = await call(`${worker.url}/admin/stats`, { headers: { authorization: `Bearer ${token('read admin')}` } });
    assert.equal(JSON.parse(admin.body).admin, 'ada');
    // The refusal's cause goes to the log, not to the client.
    const forged = sign({ sub: 'ada' }, Key.fromSecret('f'.repeat(40), 'HS256'), { issuer: ISSUER, audience: 'api', expiresIn: 60 });
    const refused = await call(`${worker.url}/api/me`, { headers: { authorization: `Bearer ${forged}` } });
    assert.equal(refused.status, 401);
    assert.doesNotMatch(refused.body, /ERR_/);
    for (let i = 0; i < 20 && !/refused a credential/.test(worker.output()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(worker.output(), /edgeauth refused a credential: ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
  } finally {
    await worker.stop();
  }
});

test('the plain fetch Worker: an API key for a token, the token for the API', async () => {
  const signing = Key.generate('ES256');
  const apiKey = generateApiKey();
  const worker = await startExample('fetch-worker', { SIGNING_JWK: JSON.stringify(signing.toJwk(true)), API_KEY_HASHES: apiKey.hash, ISSUER });
  try {
    assert.equal((await call(`${worker.url}/token`, { method: 'POST', headers: { 'x-api-key': `${apiKey.token}x` } })).status, 401);
    const issued = await call(`${worker.url}/token`, { method: 'POST', headers: { 'x-api-key': apiKey.token } });
    const { token } = JSON.parse(issued.body);
    const hello = await call(`${worker.url}/api/hello`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(JSON.parse(hello.body).hello, 'client');
    const jwks = JSON.parse((await call(`${worker.url}/.well-known/jwks.json`)).body);
    assert.deepEqual(jwks.keys.map((k) => k.kid), [signing.kid]);
    assert.equal(jwks.keys[0].d, undefined);
    const forged = sign({ sub: 'client' }, Key.generate('ES256', signing.kid), { issuer: ISSUER, audience: 'api', expiresIn: 60 });
    const refused = await call(`${worker.url}/api/hello`, { headers: { authorization: `Bearer ${forged}` } });
    assert.equal(refused.status, 401);
    assert.equal(refused.challenge, 'Bearer realm="example", error="invalid_token"');
  } finally {
    await worker.stop();
  }
});

test('the browser page, in headless Chromium', async () => {
  const { server, url } = await serve('examples/browser');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.goto(url);
    await page.waitForSelector('body[data-result]', { timeout: 20_000 });
    const result = JSON.parse(await page.getAttribute('body', 'data-result'));
    assert.deepEqual(result, { sub: 'browser-user', tampered: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.kill();
  }
});

test('the Node script', () => {
  const out = execFileSync(process.execPath, [join(EXAMPLES, 'node', 'issue-and-verify.mjs')], { encoding: 'utf8' });
  assert.equal(out, 'verified: alice\nforged: ERR_JWS_SIGNATURE_VERIFICATION_FAILED\napi key: true, wrong key: false\n');
});
