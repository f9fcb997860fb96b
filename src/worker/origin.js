// The gateway's side of forwarding a request to the origin, in JavaScript:
// one call from wasm instead of one per header and per setting.
//
// What a client sends reaches the origin only if the origin cannot mistake it
// for something the gateway vouches for or for framing. Names are compared
// lower case with `_` read as `-`, because CGI-style origins (PHP, WSGI,
// nginx with underscores_in_headers) read `X-Auth_Subject` as
// `X-Auth-Subject`. Dropped:
// - the credentials, and every `x-auth-*`: the gateway sets its own;
// - the hop-by-hop headers (RFC 9110 section 7.6.1) and every header the
//   `Connection` header names, except `upgrade`, which workerd's fetch needs
//   to pass a WebSocket through, and the headers the platform adds about the
//   client (`cf-*`, `x-forwarded-*`, ...), which a client must not strip.
//   workerd itself removes `Connection`, `Keep-Alive` and `TE` before the
//   Worker sees the request (keeping only `Connection: Upgrade`), yet passes
//   on the headers `Connection` named: those cannot be found here, and this
//   rule acts only where a runtime lets `Connection` through;
// - the method overrides (`x-http-method-override`, ...), by which some
//   frameworks run a method other than the one the policy checked.

const DROPPED = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding',
  'x-http-method-override', 'x-http-method', 'x-method-override',
]);

const KEPT_WHEN_CONNECTION_NAMES = new Set(['upgrade', 'x-real-ip', 'true-client-ip', 'cdn-loop']);

/** `name` lower case (as Headers gives it) with `_` read as `-`. */
function canonicalName(name) {
  return name.includes('_') ? name.replaceAll('_', '-') : name;
}

/** The header names a `Connection` value lists, canonical; empty without one. */
function connectionNamed(connection) {
  if (connection === null) return [];
  const named = connection.split(',').map((token) => canonicalName(token.trim().toLowerCase()));
  return named.filter((name) => !(KEPT_WHEN_CONNECTION_NAMES.has(name) || name.startsWith('cf-') || name.startsWith('x-forwarded-')));
}

/**
 * The request's headers without the `credentials` (an array of lower-case
 * names) and without what the module comment lists, then with the verified
 * identity (`method` absent for a public route).
 */
export function forwardedHeaders(incoming, credentials, method, subject, claims) {
  const headers = new Headers(incoming);
  const named = connectionNamed(incoming.get('connection'));
  for (const name of incoming.keys()) {
    const canonical = canonicalName(name);
    const dropped = DROPPED.has(canonical) || canonical.startsWith('x-auth-') || named.includes(canonical)
      || credentials.includes(name) || credentials.includes(canonical);
    if (dropped) headers.delete(name);
  }
  if (method !== undefined) {
    headers.set('x-auth-method', method);
    headers.set('x-auth-subject', subject);
    headers.set('x-auth-claims', claims);
  }
  return headers;
}

/**
 * Fetches `url` with the request's method and its body streaming through;
 * a failed fetch is answered by `unavailable`. A redirect goes back to the
 * client as it is: following it would carry the identity headers to wherever
 * the origin points.
 */
export function fetchOrigin(request, url, headers, unavailable) {
  return fetch(url, { method: request.method, headers, body: request.body, redirect: 'manual' }).catch(unavailable);
}
