// Helpers for the recipes' end-to-end tests (tests/worker/system-*.test.mjs):
// the Worker in front of a real loopback origin, with credentials made the
// way each system's own clients make them, by node:crypto alone (no edgeauth
// package), so a test checks the Worker against the system, not against us.
//
//   const origin = await startOrigin();        // records every request
//   const worker = await startWorker({ vars: { ORIGIN_URL: origin.url, ... } });
//   const result = await call(worker, '/v1/x', { method: 'POST', headers, body });
//   const seen = origin.take();                // what reached it, then forgets
import { createHmac, generateKeyPairSync, pbkdf2Sync, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { once } from 'node:events';
import assert from 'node:assert/strict';
import { WebSocketServer } from 'ws';

/**
 * A node:http origin on 127.0.0.1 that records each request (method, url,
 * headers, body as text) and answers 200 JSON. WebSocket upgrades are
 * accepted (the `ws` package) and echo every message back; their requests are
 * recorded in `upgrades`.
 */
export async function startOrigin() {
  const received = [];
  const upgrades = [];
  const server = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
    response.writeHead(200, { 'content-type': 'application/json', 'x-origin': 'recording' });
    response.end(JSON.stringify({ origin: 'recording', method: request.method, url: request.url }));
  });
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    upgrades.push({ url: request.url, headers: request.headers });
    sockets.handleUpgrade(request, socket, head, (ws) => ws.on('message', (data, binary) => ws.send(data, { binary })));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    upgrades,
    /** The requests received since the last take(), oldest first. */
    takeAll: () => received.splice(0),
    /** The one request received since the last take(); fails if none or several. */
    take() {
      const seen = received.splice(0);
      assert.equal(seen.length, 1, `expected exactly one request at the origin, got ${seen.map((s) => `${s.method} ${s.url}`).join(', ') || 'none'}`);
      return seen[0];
    },
    close() {
      for (const client of sockets.clients) client.terminate();
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A request to the Worker; the body as text, and as JSON when it parses. */
export async function call(worker, path, { method = 'GET', headers = {}, body } = {}) {
  const response = await fetch(`${worker.url}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** The identity the Worker forwarded with a recorded request (undefined members when none). */
export function identityOf(seen) {
  const claims = seen.headers['x-auth-claims'];
  return {
    method: seen.headers['x-auth-method'],
    subject: seen.headers['x-auth-subject'],
    claims: claims === undefined ? undefined : JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')),
  };
}

/** Asserts a refusal: 401, JSON `invalid_token`, a challenge with the given scheme. */
export function assertRefused(result, scheme = 'Bearer') {
  assert.equal(result.status, 401, result.text);
  assert.equal(result.json?.error, 'invalid_token', result.text);
  assert.ok(result.headers.get('www-authenticate')?.startsWith(`${scheme} realm="edgeauth"`), `WWW-Authenticate: ${result.headers.get('www-authenticate')}`);
}

/** Asserts the credentials never reach the origin. */
export function assertNoCredentials(seen, extra = []) {
  for (const name of ['authorization', 'x-api-key', 'x-service-token', ...extra]) {
    assert.equal(seen.headers[name], undefined, `${name} reached the origin`);
  }
}

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Seconds since the epoch, now. */
export const now = () => Math.floor(Date.now() / 1000);

/** A compact JWS over `header` and `claims` (serialised as given), HMAC-SHA256 with `secret`'s UTF-8 bytes. */
export function signHs256(claims, secret, header = { typ: 'JWT', alg: 'HS256' }) {
  const input = `${b64url(header)}.${b64url(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A compact JWS, RS256 (RSASSA-PKCS1-v1_5 with SHA-256), with `kid` in the header when given. */
export function signRs256(claims, privateKey, kid) {
  const header = kid === undefined ? { alg: 'RS256', typ: 'JWT' } : { alg: 'RS256', typ: 'JWT', kid };
  const input = `${b64url(header)}.${b64url(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** A fresh 2048-bit RSA key pair: { privateKey, publicKey (KeyObject), pem (SPKI PEM), jwk (public) }. */
export function rsaKeyPair(kid) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return { privateKey, publicKey, pem: publicKey.export({ type: 'spki', format: 'pem' }), jwk };
}

/**
 * A Moose API token and its stored hash, as `moose generate hash-token` (and
 * `edgeauth hash-token --format moose`) make them: the bearer token is
 * `<32 hex>.<32 hex salt>`; the hash, PBKDF2-HMAC-SHA256 of the token part's
 * text under the salt part's text, 1000 iterations, 20 bytes, in hex.
 */
export function mooseToken() {
  const token = randomBytes(16).toString('hex');
  const salt = randomBytes(16).toString('hex');
  return { bearer: `${token}.${salt}`, hash: pbkdf2Sync(token, salt, 1000, 20, 'sha256').toString('hex') };
}

const phcB64 = (bytes) => bytes.toString('base64').replace(/=+$/, '');

export { hmacSha256Hash } from '../../scripts/dev-vars.mjs';

/** `$pbkdf2-sha256$i=<n>$<salt>$<hash>` (32-byte output). */
export function pbkdf2Hash(secret, iterations = 10_000) {
  const salt = randomBytes(16);
  return `$pbkdf2-sha256$i=${iterations}$${phcB64(salt)}$${phcB64(pbkdf2Sync(secret, salt, iterations, 32, 'sha256'))}`;
}
