// The gateway's side of forwarding a request to the origin, in JavaScript:
// one call from wasm instead of one per header and per setting.

/**
 * The request's headers without the `credentials` (an array of lower-case
 * names) and without any `x-auth-*` a client sent, then with the verified
 * identity (`method` absent for a public route).
 */
export function forwardedHeaders(incoming, credentials, method, subject, claims) {
  const headers = new Headers(incoming);
  for (const name of incoming.keys()) {
    if (credentials.includes(name) || name.startsWith('x-auth-')) headers.delete(name);
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
