// Dashboard users end to end in workerd, with the accounts Durable Object
// running locally: one-shot signup (also when two race), the cookie, roles on
// read, write and admin routes, the same-origin check, logout, tampered and
// expired cookies, secret rotation, the login limiter, the unknown-user
// class, user management and its last-admin rule, a restart with users and
// sessions intact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './harness.mjs';

const SECRET = 'S'.repeat(48);
const POLICY = JSON.stringify([
  { prefix: '/dashboard/admin/', auth: ['session'], role: 'admin' },
  { prefix: '/dashboard/', auth: ['session'] },
]);
// A window long enough for five logins of about half a second of PBKDF2 each.
const vars = (extra = {}) => ({ ECHO_ORIGIN: 'true', GATEWAY_POLICY: POLICY, SESSION_SECRET: SECRET, LOGIN_LIMIT: '5/8', ...extra });
const ADMIN = { username: 'ada', password: 'correct horse battery' };

let worker;
before(async () => { worker = await startWorker({ vars: vars(), keep: true }); });
after(async () => { await worker?.stop(); });

/** A same-origin call (as the dashboard's own page makes it), with an optional cookie; `origin: null` sends none. */
async function call(path, { method = 'GET', body, cookie, origin = worker.url, on = worker, admin = false } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (admin) headers.authorization = `Bearer ${on.adminToken}`;
  if (origin) headers.origin = origin;
  if (cookie) headers.cookie = cookie;
  const response = await fetch(`${on.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, headers: response.headers, json, text };
}

/** Logs in; the `name=value` of the session cookie. */
async function login(user, on = worker) {
  const answer = await call('/api/auth/login', { method: 'POST', body: user, on, origin: on.url });
  assert.equal(answer.status, 200, answer.text);
  return answer.headers.get('set-cookie').split(';')[0];
}

test('setup: one first admin, with the admin token, then never again', async () => {
  assert.deepEqual((await call('/api/auth/status')).json, { setup_required: true });
  assert.equal((await call('/api/auth/signup', { method: 'POST', body: ADMIN })).status, 401, 'whoever finds a new deployment first must not own it');
  const created = await call('/api/auth/signup', { method: 'POST', body: { ...ADMIN, username: 'Ada' }, admin: true });
  assert.deepEqual([created.status, created.json], [201, { username: 'ada', role: 'admin' }], 'usernames are one case');
  assert.deepEqual((await call('/api/auth/status')).json, { setup_required: false });
  assert.equal((await call('/api/auth/signup', { method: 'POST', body: { username: 'eve', password: 'another long password' }, admin: true })).status, 409);
});

test('OPEN_SIGNUP: the first comer signs up; three racing: exactly one 201', async () => {
  const fresh = await startWorker({ vars: vars({ OPEN_SIGNUP: 'true' }) });
  try {
    const race = await Promise.all(['one', 'two', 'three'].map((name) => call('/api/auth/signup', { method: 'POST', body: { username: name, password: 'a long enough password' }, on: fresh, origin: fresh.url })));
    assert.deepEqual(race.map((r) => r.status).sort(), [201, 409, 409]);
  } finally {
    await fresh.stop();
  }
});

test('the session cookie: HttpOnly, Secure, SameSite=Lax, Path=/, and the identity it carries', async () => {
  const answer = await call('/api/auth/login', { method: 'POST', body: ADMIN });
  assert.deepEqual(answer.json, { username: 'ada', role: 'admin' });
  const attributes = answer.headers.get('set-cookie').split(';').map((part) => part.trim());
  assert.ok(attributes[0].startsWith('__Host-edgeauth_session='));
  for (const expected of ['HttpOnly', 'Secure', 'SameSite=Lax', 'Path=/', 'Max-Age=43200']) assert.ok(attributes.includes(expected), expected);
  const seen = await call('/dashboard/home', { cookie: attributes[0] });
  assert.deepEqual([seen.status, seen.json.auth.method, seen.json.auth.subject, seen.json.auth.claims.role], [200, 'session', 'ada', 'admin']);
  assert.ok(!seen.json.headers.includes('cookie'), 'the session cookie reached the origin');
  const mixed = await call('/dashboard/home', { cookie: `theme=dark; ${attributes[0]}` });
  assert.ok(mixed.json.headers.includes('cookie'), "the origin's own cookies go on");
});

test('roles: read reads, write writes, admin only under /dashboard/admin/; no cookie is 401', async () => {
  const admin = await login(ADMIN);
  for (const [username, role] of [['rita', 'read'], ['wes', 'write']]) {
    const created = await call('/api/admin/users', { method: 'POST', cookie: admin, body: { username, password: 'a long enough password', role } });
    assert.equal(created.status, 201, created.text);
  }
  const reader = await login({ username: 'rita', password: 'a long enough password' });
  const writer = await login({ username: 'wes', password: 'a long enough password' });
  assert.equal((await call('/dashboard/x', { cookie: reader })).status, 200);
  assert.deepEqual([(await call('/dashboard/x', { method: 'POST', cookie: reader, body: {} })).status], [403]);
  assert.equal((await call('/dashboard/x', { method: 'POST', cookie: writer, body: {} })).status, 200);
  assert.equal((await call('/dashboard/admin/x', { cookie: writer })).status, 403);
  assert.equal((await call('/dashboard/admin/x', { cookie: admin })).status, 200);
  assert.equal((await call('/dashboard/x')).status, 401);
  assert.equal((await call('/api/admin/users', { cookie: writer })).status, 403, 'only admins manage users');
});

test('a cookie never authorizes a write from another origin', async () => {
  const admin = await login(ADMIN);
  for (const origin of [null, 'https://evil.example', 'null']) {
    const refused = await call('/dashboard/x', { method: 'POST', cookie: admin, body: {}, origin });
    assert.deepEqual([refused.status, refused.json?.error], [403, 'cross_site_request'], String(origin));
  }
  assert.equal((await call('/dashboard/x', { cookie: admin, origin: 'https://evil.example' })).status, 200, 'reads are not writes');
});

test('logout ends the session everywhere at once and clears the cookie', async () => {
  const cookie = await login(ADMIN);
  const out = await call('/api/auth/logout', { method: 'POST', cookie });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /Max-Age=0/);
  assert.equal((await call('/dashboard/x', { cookie })).status, 401);
});

test('tampered and expired cookies are refused', async () => {
  const cookie = await login(ADMIN);
  const [name, value] = cookie.split('=');
  const [payload, mac] = value.split('.');
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url')), user: 'rita' })).toString('base64url');
  assert.equal((await call('/dashboard/x', { cookie: `${name}=${forged}.${mac}` })).status, 401);
  assert.equal((await call('/dashboard/x', { cookie: `${name}=${payload}.${mac.slice(1)}A` })).status, 401);
  const short = await startWorker({ vars: vars({ SESSION_LIFETIME_SECONDS: '3' }) });
  try {
    await call('/api/auth/signup', { method: 'POST', body: ADMIN, on: short, origin: short.url, admin: true });
    const brief = await login(ADMIN, short);
    assert.equal((await call('/dashboard/x', { cookie: brief, on: short })).status, 200);
    await new Promise((r) => setTimeout(r, 3500));
    assert.equal((await call('/dashboard/x', { cookie: brief, on: short })).status, 401);
  } finally {
    await short.stop();
  }
});

test('the 6th failed login in the window is 429 without a check, then a right one works again', async () => {
  const wrong = { username: 'wes', password: 'not the password at all' };
  for (let i = 0; i < 5; i++) assert.equal((await call('/api/auth/login', { method: 'POST', body: wrong })).status, 401, `attempt ${i + 1}`);
  const limited = await call('/api/auth/login', { method: 'POST', body: { username: 'wes', password: 'a long enough password' } });
  assert.deepEqual([limited.status, limited.json.error], [429, 'too_many_attempts']);
  const retryAfter = Number(limited.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 8, `Retry-After: ${retryAfter}`);
  await new Promise((r) => setTimeout(r, retryAfter * 1000 + 200));
  assert.equal((await call('/api/auth/login', { method: 'POST', body: { username: 'wes', password: 'a long enough password' } })).status, 200);
});

test('a username is one user whatever its case', async () => {
  assert.equal((await call('/api/auth/login', { method: 'POST', body: { ...ADMIN, username: 'ADA' } })).json.username, 'ada');
});

test('an unknown user gets the same answer as a wrong password', async () => {
  const unknown = await call('/api/auth/login', { method: 'POST', body: { username: 'nobody', password: 'a long enough password' } });
  const wrong = await call('/api/auth/login', { method: 'POST', body: { username: 'rita', password: 'not the password at all' } });
  assert.deepEqual([unknown.status, unknown.json], [wrong.status, wrong.json]);
  assert.equal(unknown.status, 401);
});

test('a role change counts on the next request; deletion ends sessions; the last admin stays', async () => {
  const admin = await login(ADMIN);
  const rita = await login({ username: 'rita', password: 'a long enough password' });
  assert.equal((await call('/dashboard/x', { method: 'POST', cookie: rita, body: {} })).status, 403);
  assert.equal((await call('/api/admin/users/rita', { method: 'PATCH', cookie: admin, body: { role: 'write' } })).status, 200);
  assert.equal((await call('/dashboard/x', { method: 'POST', cookie: rita, body: {} })).status, 200);
  assert.equal((await call('/api/admin/users/rita', { method: 'DELETE', cookie: admin })).status, 204);
  assert.equal((await call('/dashboard/x', { cookie: rita })).status, 401);
  assert.equal((await call('/api/admin/users/ada', { method: 'PATCH', cookie: admin, body: { role: 'read' } })).status, 409);
  assert.equal((await call('/api/admin/users/ada', { method: 'DELETE', cookie: admin })).status, 409);
  const listed = await call('/api/admin/users', { cookie: admin });
  assert.deepEqual(listed.json.users.map((u) => u.username), ['ada', 'wes']);
  assert.ok(!listed.text.includes('pbkdf2'), 'no hash leaves the object');
});

test('users and sessions survive a restart; a new SESSION_SECRET ends every session', async () => {
  const cookie = await login(ADMIN);
  await worker.stop();
  worker = await startWorker({ dir: worker.dir, keep: true, vars: vars() });
  assert.equal((await call('/dashboard/x', { cookie })).status, 200);
  await worker.stop();
  worker = await startWorker({ dir: worker.dir, keep: true, vars: vars({ SESSION_SECRET: 'R'.repeat(48) }) });
  assert.equal((await call('/dashboard/x', { cookie })).status, 401);
  assert.equal((await call('/api/auth/login', { method: 'POST', body: ADMIN })).status, 200, 'the users are still there');
});
