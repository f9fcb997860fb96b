// The one fetch of a remote key set (or an issuer's discovery document), for
// the package's RemoteKeySet and the Worker's remote providers alike. What to
// fetch and what the answer means is decided by the engine
// (src/remote_jwks/); this only makes the request: GET with the timeout, no
// redirect followed, at most `maxBytes` read.

const ACCEPT = 'application/jwk-set+json, application/json';

/**
 * Resolves to `{ status, body, cacheControl, age, expires, date, etag,
 * lastModified }` (absent headers undefined), or `{ failure }`: `timeout`,
 * `too_large` or `unreachable`. Never rejects.
 */
export async function fetchDocument(url, ifNoneMatch, ifModifiedSince, timeoutMs, maxBytes) {
  const headers = { accept: ACCEPT };
  if (ifNoneMatch) headers['if-none-match'] = ifNoneMatch;
  if (ifModifiedSince) headers['if-modified-since'] = ifModifiedSince;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { headers, redirect: 'manual', signal: controller.signal });
    const body = await readText(response, maxBytes);
    if (body === undefined) return { failure: 'too_large' };
    const header = (name) => response.headers.get(name) ?? undefined;
    return {
      status: response.status, body,
      cacheControl: header('cache-control'), age: header('age'), expires: header('expires'),
      date: header('date'), etag: header('etag'), lastModified: header('last-modified'),
    };
  } catch {
    return { failure: controller.signal.aborted ? 'timeout' : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

/** The body as text, or undefined past `maxBytes` (declared or read): a huge body is never held whole. */
async function readText(response, maxBytes) {
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(whole);
}
