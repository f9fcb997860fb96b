// Hono middleware over the package (`edgeauth/hono`): jwtAuth, apiKeyAuth,
// basicAuth, and anyOf to chain them. Translation only: every decision
// (token and header syntax, keys, claims, hash checks, equal work for unknown
// users, what is remembered per isolate) is the package's, its engine's but
// for StoredSecrets' memory; this file reads the request, asks the package,
// and answers as the edgeauth gateway answers (src/worker/http.rs): RFC
// 6750 401 and 403 with WWW-Authenticate, 503 with Retry-After when a key
// set is unreachable, 500 for our own broken material. Refusals are thrown as Hono's HTTPException, its `cause` the
// package's EdgeAuthError, for an app's onError to log.
import { HTTPException } from 'hono/http-exception';
import { Key, KeySet, RemoteKeySet, Verifier, StoredSecrets, EdgeAuthError, parseBasic, parseBearer, verifyAsync } from 'edgeauth';

/** Where each middleware keeps its check and realm, for anyOf. */
const CHECK = Symbol('edgeauth.hono.check');
const REALM = Symbol('edgeauth.hono.realm');

/** Failures on our side, not the caller's: a key set or store we cannot reach, or our own material broken. */
const UNAVAILABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_UNAVAILABLE', 'ERR_JWKS_INVALID', 'ERR_STORE_UNAVAILABLE']);
const BROKEN = new Set(['ERR_HASH_INVALID', 'ERR_AT_REST_INVALID', 'ERR_JWK_INVALID']);

const REFUSED_MESSAGE = 'the credential is missing, malformed, unknown, revoked or expired';

// A check's outcome is one of: `{ auth }` let in; `{ absent, scheme }` no
// credential of its kind; `{ refused, scheme }` one presented and refused;
// `{ forbidden }` verified without a required scope; `{ failed }` our side failed.

/** The outcome of a check that threw `error`; anything but an EdgeAuthError is a bug or bad options, thrown on. */
function outcomeOf(error, scheme) {
  if (!(error instanceof EdgeAuthError)) throw error;
  if (UNAVAILABLE.has(error.code) || BROKEN.has(error.code)) return { failed: error };
  return { refused: error, scheme };
}

function reply(status, error, message, headers, cause) {
  const res = new Response(JSON.stringify({ error, message }), { status, headers: { 'content-type': 'application/json', ...headers } });
  return new HTTPException(status, { res, message, cause });
}

/** The HTTPException for an outcome that does not let the request in. */
function refusal(outcome, realm) {
  const { failed, forbidden, refused, scheme } = outcome;
  if (failed !== undefined && UNAVAILABLE.has(failed.code)) {
    return reply(503, 'unavailable', 'a backing service is unavailable; retry shortly', { 'retry-after': '5' }, failed);
  }
  if (failed !== undefined) return reply(500, 'internal', 'internal error', {}, failed);
  if (forbidden) {
    return reply(403, 'insufficient_scope', 'the credential lacks a required scope', { 'www-authenticate': `Bearer realm="${realm}", error="insufficient_scope"` });
  }
  return reply(401, 'invalid_token', REFUSED_MESSAGE, { 'www-authenticate': challenge(scheme, realm, refused !== undefined) }, refused);
}

/** RFC 7617 for Basic; RFC 6750 §3.1 for Bearer: bare when no credential was presented. */
function challenge(scheme, realm, refused) {
  if (scheme === 'Basic') return `Basic realm="${realm}", charset="UTF-8"`;
  if (!refused) return `Bearer realm="${realm}"`;
  return `Bearer realm="${realm}", error="invalid_token", error_description="the credential was refused"`;
}

function checkRealm(realm) {
  if (typeof realm !== 'string' || !/^[\x20-\x7e]*$/.test(realm) || /["\\]/.test(realm)) {
    throw new TypeError('options.realm must be printable ASCII without quotes or backslashes');
  }
  return realm;
}

/** A middleware running `check`, which anyOf can also run. */
function middleware(check, realm) {
  const handler = async (c, next) => {
    const outcome = await check(c);
    if (outcome.auth === undefined) throw refusal(outcome, realm);
    c.set('auth', outcome.auth);
    await next();
  };
  handler[CHECK] = check;
  handler[REALM] = realm;
  return handler;
}

/**
 * `value` made into what `build` returns, once per isolate: the Verifier or
 * StoredSecrets kept across requests is what remembers verified
 * credentials. A function is called with the Worker's `env` at the first
 * request, for secrets that only bindings carry.
 */
function once(value, build) {
  if (typeof value !== 'function') {
    const built = build(value);
    return () => built;
  }
  let built;
  return (c) => (built ??= build(value(c.env)));
}

function checkOptions(options, name) {
  if (options === null || typeof options !== 'object') throw new TypeError(`${name}'s options must be an object`);
  return options;
}

/** The `Authorization` value when it names `scheme`; otherwise that kind of credential is absent. */
function authorization(c, scheme) {
  const value = c.req.header('authorization');
  if (value === undefined) return undefined;
  const space = value.indexOf(' ');
  return value.slice(0, space < 0 ? value.length : space).toLowerCase() === scheme.toLowerCase() ? value : undefined;
}

/** The scopes a token grants, read as the gateway reads them: `scope` (space-separated), else `scopes` (a list). */
function grantedScopes(claims) {
  if (typeof claims.scope === 'string') return claims.scope.split(/\s+/).filter(Boolean);
  return Array.isArray(claims.scopes) ? claims.scopes.filter((s) => typeof s === 'string') : [];
}

/** `token => Promise<{ header, payload }>` for a key source: remembering tokens unless `cache` is false (a RemoteKeySet remembers them itself). */
function jwtVerification(source, verifyOptions, cache) {
  if (source instanceof RemoteKeySet) return (token) => source.verify(token, verifyOptions);
  const keys = source instanceof Key || source instanceof KeySet ? source : new KeySet(source);
  // Made either way, so that bad options fail here rather than at a request.
  const verifier = new Verifier(keys, verifyOptions);
  if (cache) return (token) => verifier.verifyAsync(token);
  verifier.free();
  return (token) => verifyAsync(token, keys, verifyOptions);
}

/**
 * A bearer JWT, verified with `keys` (a Key or KeySet), `jwks` (a JWK Set)
 * or `remote` (a RemoteKeySet), each of which may be a function of the
 * Worker's `env`; the other options are `verify`'s, and `scopes` must all
 * be granted. `c.get('auth')` is `{ method: 'jwt', subject, claims, header }`.
 */
export function jwtAuth(options) {
  const { keys, jwks, remote, cache = true, scopes = [], realm = 'edgeauth', ...verifyOptions } = checkOptions(options, 'jwtAuth');
  const sources = [keys, jwks, remote].filter((source) => source !== undefined);
  if (sources.length !== 1) throw new TypeError('jwtAuth needs exactly one of options.keys, options.jwks and options.remote');
  if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== 'string')) throw new TypeError('options.scopes must be a list of strings');
  const ready = once(sources[0], (source) => jwtVerification(source, verifyOptions, cache !== false));
  return middleware(async (c) => {
    const value = authorization(c, 'Bearer');
    if (value === undefined) return { absent: true, scheme: 'Bearer' };
    let verified;
    try {
      verified = await ready(c)(parseBearer(value));
    } catch (error) {
      return outcomeOf(error, 'Bearer');
    }
    const { header, payload } = verified;
    if (!scopes.every((scope) => grantedScopes(payload).includes(scope))) return { forbidden: true };
    return { auth: { method: 'jwt', subject: payload.sub, claims: payload, header } };
  }, checkRealm(realm));
}

/**
 * An API key in `header` (default `X-API-Key`; with `Authorization`, as
 * `Bearer <key>`), checked against every one of `hashes` (or a function of
 * `env` giving them). `c.get('auth')` names the set (`name`, default
 * `api_key`), as the gateway's key sets do: `{ method: 'key', subject: name }`.
 */
export function apiKeyAuth(options) {
  const { hashes, header = 'X-API-Key', name = 'api_key', realm = 'edgeauth' } = checkOptions(options, 'apiKeyAuth');
  if (typeof name !== 'string' || typeof header !== 'string') throw new TypeError('options.name and options.header must be strings');
  const ready = once(hashes, (stored) => new StoredSecrets({ [name]: stored }));
  const inAuthorization = header.toLowerCase() === 'authorization';
  return middleware(async (c) => {
    const value = inAuthorization ? authorization(c, 'Bearer') : c.req.header(header);
    if (value === undefined) return { absent: true, scheme: 'Bearer' };
    try {
      const key = inAuthorization ? parseBearer(value) : value;
      if (!(await ready(c).verify(name, key))) return rejected('the API key matches no stored hash', 'Bearer');
    } catch (error) {
      return outcomeOf(error, 'Bearer');
    }
    return { auth: { method: 'key', subject: name, claims: { key_set: name } } };
  }, checkRealm(realm));
}

/**
 * `Authorization: Basic`, checked against `users` (user name to stored hash,
 * or a function of `env` giving them); an unknown user costs the same hash
 * work as a known one. `c.get('auth')` is `{ method: 'basic', subject: user }`.
 */
export function basicAuth(options) {
  const { users, realm = 'edgeauth' } = checkOptions(options, 'basicAuth');
  const ready = once(users, (stored) => new StoredSecrets(checkOptions(stored, 'basicAuth\'s users')));
  return middleware(async (c) => {
    const value = authorization(c, 'Basic');
    if (value === undefined) return { absent: true, scheme: 'Basic' };
    let user;
    try {
      const credentials = parseBasic(value);
      user = credentials.user;
      if (!(await ready(c).verify(user, credentials.password))) return rejected('wrong user or password', 'Basic');
    } catch (error) {
      return outcomeOf(error, 'Basic');
    }
    return { auth: { method: 'basic', subject: user, claims: { user } } };
  }, checkRealm(realm));
}

function rejected(message, scheme) {
  return { refused: new EdgeAuthError({ code: 'ERR_CREDENTIAL_REJECTED', message }), scheme };
}

/**
 * The middlewares tried in order, as the gateway's chain: the first that
 * lets the request in wins, one that refuses does not end the chain. A
 * verified credential without its scopes is a 403 at once. When none lets
 * it in, a failure on our side answers (503, 500), else a 401 challenging
 * with the first middleware's scheme and realm.
 */
export function anyOf(...handlers) {
  const checks = handlers.map((handler) => handler?.[CHECK]);
  if (checks.length === 0 || checks.some((check) => typeof check !== 'function')) {
    throw new TypeError('anyOf takes one or more of jwtAuth, apiKeyAuth, basicAuth and anyOf');
  }
  return middleware(async (c) => {
    const outcomes = [];
    for (const check of checks) {
      const outcome = await check(c);
      if (outcome.auth !== undefined || outcome.forbidden) return outcome;
      outcomes.push(outcome);
    }
    const failed = outcomes.find((outcome) => outcome.failed !== undefined);
    if (failed !== undefined) return failed;
    return { scheme: outcomes[0].scheme, refused: outcomes.find((outcome) => outcome.refused !== undefined)?.refused };
  }, handlers[0][REALM]);
}
