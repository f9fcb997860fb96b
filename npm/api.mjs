// The package's API over the wasm-bindgen exports: argument checks, JSON in
// and out, and EdgeAuthError. Shared by the Node, browser and workerd entries,
// each of which passes its host's native signature code for RSA, ECDSA and Ed25519
// (host-node.mjs, synchronous; host-web.mjs, WebCrypto, asynchronous).

/** An edgeauth failure: `code` is stable (jose's vocabulary), `claim` and
 * `reason` are set for claim failures. */
export class EdgeAuthError extends Error {
  constructor({ code, message, claim, reason }) {
    super(message);
    this.name = 'EdgeAuthError';
    this.code = code;
    if (claim !== undefined) this.claim = claim;
    if (reason !== undefined) this.reason = reason;
  }
}

import { fetchDocument } from './remote-fetch.mjs';

const HANDLE = Symbol('edgeauth.handle');
const FLIGHT = Symbol('edgeauth.flight');
const FROM_ISSUER = Symbol('edgeauth.fromIssuer');
const HOST_SIGNING_KEY = Symbol('edgeauth.hostSigningKey');
const THUMBPRINT = Symbol('edgeauth.thumbprint');

/** How many results a Verifier keeps here: as many as its engine remembers (src/jwt/verifier.rs). */
const VERIFIER_RESULTS = 1024;

/** `value`, and every object in it, frozen: a result shared between calls cannot be changed by one of them. */
function deepFreeze(value) {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** How long StoredSecrets remembers an outcome, and how many: the gateway's SecretChecks (src/authn/secrets.rs). */
const SECRET_TTL_MS = 30_000;
const SECRETS_REMEMBERED = 4096;

/** SHA-256 of a name and a secret, as text: what StoredSecrets remembers outcomes by. */
async function secretDigest(name, secret) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${name.length}:${name}\0${secret}`));
  return String.fromCharCode(...new Uint8Array(digest));
}

/** RemoteKeySet's options, in milliseconds, and the engine's argument order. */
const REMOTE_OPTIONS = ['timeoutDuration', 'cooldownDuration', 'cacheMinAge', 'cacheMaxAge', 'maxStaleness'];

function rethrow(error) {
  if (error && typeof error === 'object' && !(error instanceof Error) && typeof error.code === 'string') {
    throw new EdgeAuthError(error);
  }
  throw error;
}

function call(fn) {
  try {
    return fn();
  } catch (error) {
    return rethrow(error);
  }
}

function text(value, name) {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  return value;
}

function optionalText(value, name) {
  return value === undefined || value === null ? undefined : text(value, name);
}

function bytes(value, name) {
  if (typeof value === 'string') return new TextEncoder().encode(value);
  if (value instanceof Uint8Array) return value;
  throw new TypeError(`${name} must be a string or a Uint8Array`);
}

function objectOrJson(value, name) {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  throw new TypeError(`${name} must be an object or a JSON string`);
}

/** Options that count seconds or bytes. */
const NON_NEGATIVE = new Set(['maxTokenAge', 'clockTolerance', 'currentDate', 'maxTokenSize', 'expiresIn']);

/**
 * Refuses, naming the option, what would reach the engine as "not set": a
 * null option, and what JSON.stringify turns into null without a word (NaN
 * and the infinities anywhere, an undefined or a hole in an array). The
 * engine then refuses what JSON can carry: null, empty issuer and audience
 * lists, wrong types, unknown names.
 */
function checkOptions(options, name) {
  for (const [option, value] of Object.entries(options)) {
    const where = `${name}.${option}`;
    if (value === null) throw new TypeError(`${where} must not be null: leave it out instead`);
    lossless(value, where);
    if (NON_NEGATIVE.has(option) && typeof value === 'number' && value < 0) {
      throw new TypeError(`${where} must not be negative`);
    }
  }
}

/** Throws where JSON.stringify would change `value` silently. */
function lossless(value, where) {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`${where} must be a finite number`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (value[i] === undefined) throw new TypeError(`${where}[${i}] is undefined`);
      lossless(value[i], `${where}[${i}]`);
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [member, inner] of Object.entries(value)) lossless(inner, `${where}.${member}`);
  }
}

/** Options as JSON, with a `Date` for `currentDate` turned into seconds. */
function optionsJson(options, name) {
  if (options === undefined) return '{}';
  if (options === null || typeof options !== 'object') throw new TypeError(`${name} must be an object`);
  const { currentDate } = options;
  if (currentDate instanceof Date && Number.isNaN(currentDate.getTime())) {
    throw new TypeError(`${name}.currentDate is an invalid Date`);
  }
  const plain = currentDate instanceof Date ? { ...options, currentDate: currentDate.getTime() / 1000 } : options;
  checkOptions(plain, name);
  return JSON.stringify(plain);
}

/** An option read as text: absent is undefined, and null is a mistake. */
function optionText(value, name) {
  return value === undefined ? undefined : text(value, name);
}

function verifyOptionsJson(options) {
  if (!options || !Array.isArray(options.algorithms) || options.algorithms.length === 0) {
    throw new TypeError('options.algorithms is required: list the algorithms you accept');
  }
  return optionsJson(options, 'options');
}

/**
 * Settles a WasmPending: yields `[alg, id, jwk, input, signature]` for each
 * candidate key (`id` its thumbprint, `jwk()` its public JWK as JSON text,
 * for the host to import once) and is sent the host's verdict: exactly
 * `true` accepts, `false` tries the next key, anything else means the host
 * cannot tell and wasm checks. Returns the verified result as JSON text.
 * Driven by `runSync` or `runAsync`.
 */
function* settle(pending, alg, key) {
  const signed = pending.signed;
  const [input, signature] = [signed.subarray(0, pending.inputLength), signed.subarray(pending.inputLength)];
  for (let index = 0; index < pending.candidateCount; index++) {
    const jwk = () => pending.candidateJwk(index);
    const verdict = yield [alg, thumbprint(pending, index, key), jwk, input, signature];
    if (verdict === true) return pending.accept(index);
    if (verdict !== false) return pending.verifyHere();
  }
  return pending.reject();
}

/** Candidate `index`'s thumbprint; when the only key is the Key `key`, kept on it, so no call into wasm asks again. */
function thumbprint(pending, index, key) {
  if (key === undefined) return pending.candidateThumbprint(index);
  key[THUMBPRINT] ??= pending.candidateThumbprint(index);
  return key[THUMBPRINT];
}

function runSync(steps, check) {
  let step = steps.next();
  while (!step.done) step = steps.next(check(...step.value));
  return step.value;
}

/** Settles `pending` with an asynchronous host, checking the claims (`prepare`) while the host checks the first signature. */
async function runAsync(pending, alg, check, key) {
  const steps = settle(pending, alg, key);
  let step = steps.next();
  for (let first = true; !step.done; first = false) {
    const verdict = check(...step.value);
    if (first) pending.prepare();
    step = steps.next(await verdict);
  }
  return step.value;
}

/** Hands `ops` to `wasm` as its P-521 (src/js/p521.rs); fails when other code installed its own first. */
export function installP521(wasm, ops) {
  if (!wasm.setP521(ops)) throw new Error('edgeauth: P-521 was installed by other code before the package: refusing to trust it');
}

/**
 * The API over `wasm`. The host's native code for RSA, ECDSA and Ed25519:
 * `host.verifySignature(alg, id, jwk, input, signature)` checks,
 * `host.signingKey(alg, jwk)` imports a private key and
 * `host.signature(alg, key, input)` signs with it. `host.synchronous` says
 * whether they answer at once (then `verify` and `sign` use them too) or with
 * promises (then only `verifyAsync` and `signAsync` do).
 */
export function bind(wasm, host) {
  class Key {
    constructor(handle) {
      if (!(handle instanceof wasm.WasmKey)) {
        throw new TypeError('use Key.fromJwk, Key.fromPem, Key.fromSecret or Key.generate');
      }
      this[HANDLE] = handle;
    }
    static fromJwk(jwk) {
      const json = objectOrJson(jwk, 'jwk');
      return new Key(call(() => wasm.WasmKey.fromJwk(json)));
    }
    static fromPem(pem, alg, kid) {
      const args = [text(pem, 'pem'), text(alg, 'alg'), optionalText(kid, 'kid')];
      return new Key(call(() => wasm.WasmKey.fromPem(...args)));
    }
    static fromSecret(secret, alg, kid) {
      const args = [bytes(secret, 'secret'), text(alg, 'alg'), optionalText(kid, 'kid')];
      return new Key(call(() => wasm.WasmKey.fromSecret(...args)));
    }
    static generate(alg, kid) {
      const args = [text(alg, 'alg'), optionalText(kid, 'kid')];
      return new Key(call(() => wasm.WasmKey.generate(...args)));
    }
    get alg() { return this[HANDLE].alg; }
    get kid() { return this[HANDLE].kid; }
    get kty() { return this[HANDLE].kty; }
    get isPrivate() { return this[HANDLE].isPrivate; }
    toJwk(includePrivate = false) { return JSON.parse(call(() => this[HANDLE].toJwk(Boolean(includePrivate)))); }
    thumbprint() { return this[HANDLE].thumbprint(); }
    free() { this[HANDLE].free(); }
  }

  class KeySet {
    constructor(jwks) {
      const json = jwks === undefined ? undefined : objectOrJson(jwks, 'jwks');
      this[HANDLE] = call(() => new wasm.WasmKeySet(json));
    }
    add(key) { this[HANDLE].add(keyHandle(key)); return this; }
    remove(kid) { return this[HANDLE].remove(text(kid, 'kid')); }
    get(kid) {
      const handle = this[HANDLE].get(text(kid, 'kid'));
      return handle === undefined ? undefined : new Key(handle);
    }
    get size() { return this[HANDLE].size; }
    toJwks() { return JSON.parse(this[HANDLE].toJwks()); }
    free() { this[HANDLE].free(); }
  }

  function keyHandle(key) {
    if (!(key instanceof Key)) throw new TypeError('key must be a Key');
    return key[HANDLE];
  }

  function keysHandle(keys) {
    if (keys instanceof Key || keys instanceof KeySet) return keys[HANDLE];
    throw new TypeError('keys must be a Key or a KeySet');
  }

  /** A WasmSigning for `sign`'s arguments: the token waiting for its signature. */
  function signing(payload, key, options) {
    if (payload !== null && typeof payload === 'object') lossless(payload, 'payload');
    const args = [objectOrJson(payload, 'payload'), keyHandle(key), optionsJson(options, 'options')];
    return call(() => new wasm.WasmSigning(...args));
  }

  /** The host's import of `key` for signing `pending` under `alg` (undefined: the host cannot), made once per Key. */
  function hostSigningKey(key, pending, alg) {
    if (!Object.hasOwn(key, HOST_SIGNING_KEY)) {
      let jwk;
      try { jwk = pending.privateJwk(); } catch { jwk = undefined; }
      const made = jwk === undefined ? undefined : host.signingKey(alg, jwk);
      key[HOST_SIGNING_KEY] = made;
      // Once an asynchronous import settles, keep what it gave: later signatures need not await it.
      if (typeof made?.then === 'function') made.then((ready) => { key[HOST_SIGNING_KEY] = ready; }, () => { key[HOST_SIGNING_KEY] = undefined; });
    }
    return key[HOST_SIGNING_KEY];
  }

  /** The token of a WasmSigning, with the host's `signature`, or signed in wasm when there is none or it has the wrong length. */
  function complete(pending, signature) {
    return call(() => (signature instanceof Uint8Array ? pending.finish(signature) : pending.signHere()));
  }

  /** A signed JWT; RSA, ECDSA and Ed25519 signatures come from the host's native crypto where it answers at once (Node). */
  function sign(payload, key, options) {
    const pending = signing(payload, key, options);
    const alg = host.synchronous ? pending.hostAlg : undefined;
    if (alg === undefined) return complete(pending, undefined);
    const hostKey = hostSigningKey(key, pending, alg);
    return complete(pending, hostKey && host.signature(alg, hostKey, pending.input));
  }

  /** `sign`, with RSA, ECDSA and Ed25519 signatures from the host's native crypto in every runtime (WebCrypto in browsers and Workers). */
  async function signAsync(payload, key, options) {
    const pending = signing(payload, key, options);
    const alg = pending.hostAlg;
    if (alg === undefined) return complete(pending, undefined);
    let hostKey = hostSigningKey(key, pending, alg);
    if (typeof hostKey?.then === 'function') hostKey = await hostKey;
    return complete(pending, hostKey && await host.signature(alg, hostKey, pending.input));
  }

  function verify(token, keys, options) {
    const args = [text(token, 'token'), keysHandle(keys), verifyOptionsJson(options)];
    if (host.synchronous) return withPending(args, keys, (pending, alg, key) => call(() => runSync(settle(pending, alg, key), host.verifySignature)));
    const verifyWith = keys instanceof Key ? wasm.verifyWithKey : wasm.verifyWithKeySet;
    return JSON.parse(call(() => verifyWith(...args)));
  }

  /** `verify`, with RSA, ECDSA and Ed25519 signatures checked by the host's native crypto in every runtime (WebCrypto in browsers and Workers). */
  async function verifyAsync(token, keys, options) {
    const args = [text(token, 'token'), keysHandle(keys), verifyOptionsJson(options)];
    return withPending(args, keys, settleAsync);
  }

  /** Settles a WasmPending with the host's check under `alg`, awaited; `key` is the Key when it is the only one. */
  async function settleAsync(pending, alg, key) {
    try {
      return await runAsync(pending, alg, host.verifySignature, key);
    } catch (error) {
      return rethrow(error);
    }
  }

  /** Runs `settleWith` on a WasmPending for `args`, or checks in wasm alone where the host would not help; frees the pending token. */
  function withPending(args, keys, settleWith) {
    const make = keys instanceof Key ? wasm.WasmPending.withKey : wasm.WasmPending.withKeySet;
    return settlePending(call(() => make(...args)), settleWith, keys instanceof Key ? keys : undefined);
  }

  function settlePending(pending, settleWith, key) {
    let freeLater = false;
    try {
      const alg = pending.hostAlg;
      if (alg === undefined) return JSON.parse(call(() => pending.verifyHere()));
      const result = settleWith(pending, alg, key);
      if (typeof result?.then !== 'function') return JSON.parse(result);
      freeLater = true;
      return result.then(JSON.parse).finally(() => pending.free());
    } finally {
      if (!freeLater) pending.free();
    }
  }

  /** Reads a token WITHOUT verifying it: for display and debugging only. */
  function decode(token) {
    return JSON.parse(call(() => wasm.decode(text(token, 'token'))));
  }

  /**
   * Verifies with fixed keys and options, remembering tokens that verified.
   * Results are frozen, and a remembered token's is the same object each
   * time: answered here, with no call into wasm, while the engine's
   * `sureWindow` says its time claims surely still pass; outside that
   * window the engine checks them again.
   */
  class Verifier {
    #results = new Map();
    constructor(keys, options) {
      const args = [keysHandle(keys), verifyOptionsJson(options)];
      const make = keys instanceof Key ? wasm.WasmVerifier.withKey : wasm.WasmVerifier.withKeySet;
      this[HANDLE] = call(() => make(...args));
    }
    verify(token) {
      return this.#recall(token) ?? this.#remember(token, JSON.parse(call(() => this[HANDLE].verify(text(token, 'token')))));
    }
    /** `verify`, with RSA, ECDSA and Ed25519 signatures of tokens not yet remembered checked by the host's native crypto. */
    async verifyAsync(token) {
      const recalled = this.#recall(token);
      if (recalled !== undefined) return recalled;
      const handle = this[HANDLE];
      const known = call(() => handle.recall(text(token, 'token')));
      if (known !== undefined) return this.#remember(token, JSON.parse(known));
      return this.#remember(token, await settlePending(call(() => handle.pending(token)), settleAsync));
    }
    #recall(token) {
      const known = this.#results.get(token);
      if (known === undefined) return undefined;
      const now = Date.now() / 1000;
      return now >= known.from && now <= known.until ? known.result : undefined;
    }
    #remember(token, result) {
      deepFreeze(result);
      const window = this[HANDLE].sureWindow(token);
      this.#results.delete(token);
      if (window === undefined) return result;
      // A Map iterates in insertion order: the first key is the oldest.
      if (this.#results.size >= VERIFIER_RESULTS) this.#results.delete(this.#results.keys().next().value);
      this.#results.set(token, { result, from: window[0], until: window[1] });
      return result;
    }
    free() { this.#results.clear(); this[HANDLE].free(); }
  }

  /**
   * Stored hashes by name (Basic users, API key sets). The engine checks
   * every hash of a name (none skipped) and picks the costliest hash, which
   * a secret for an unknown name is checked against before it is refused:
   * equal work either way. Outcomes are remembered here as the gateway's
   * SecretChecks remembers them (src/authn/secrets.rs: 30 s, 4096 entries,
   * by SHA-256, never the secret), so a right or retried secret costs no
   * second hash; kept in JS, not wasm, for the package's size budget.
   */
  class StoredSecrets {
    #hashes = new Map();
    #standIn;
    #outcomes = new Map();
    constructor(hashes) {
      if (hashes === null || typeof hashes !== 'object' || Array.isArray(hashes)) throw new TypeError('hashes must be an object of names to stored hashes');
      for (const [name, value] of Object.entries(hashes)) {
        const list = typeof value === 'string' ? [value] : value;
        if (!Array.isArray(list) || list.length === 0) throw new TypeError(`hashes.${name} must be a stored hash or a non-empty list of them`);
        // One per line to the engine: a line break inside would split a hash.
        // An empty one would be dropped as a trailing line, unchecked, and cost no hash work.
        if (list.some((hash) => typeof hash !== 'string' || hash.trim() === '' || /[\r\n]/.test(hash))) throw new TypeError(`hashes.${name} must hold stored hashes`);
        this.#hashes.set(name, list.join('\n'));
      }
      this.#standIn = call(() => wasm.costliestHash([...this.#hashes.values()].join('\n')));
    }
    /** Whether `secret`, presented for `name`, matches one of its hashes. */
    async verify(name, secret) {
      const stored = this.#hashes.get(text(name, 'name'));
      const key = await secretDigest(name, text(secret, 'secret'));
      let matched = this.#recall(key);
      if (matched === undefined) {
        matched = call(() => wasm.verifySecretAny(bytes(secret, 'secret'), stored ?? this.#standIn));
        this.#remember(key, matched);
      }
      return matched && stored !== undefined;
    }
    #recall(key) {
      const outcome = this.#outcomes.get(key);
      if (outcome === undefined || Date.now() - outcome.at >= SECRET_TTL_MS) return undefined;
      return outcome.matched;
    }
    #remember(key, matched) {
      this.#outcomes.delete(key);
      // A Map iterates in insertion order: the first key is the oldest.
      if (this.#outcomes.size >= SECRETS_REMEMBERED) this.#outcomes.delete(this.#outcomes.keys().next().value);
      this.#outcomes.set(key, { matched, at: Date.now() });
    }
  }

  /** The token of an `Authorization: Bearer` value, read strictly; else ERR_CREDENTIAL_MALFORMED. */
  function parseBearer(authorization) {
    return call(() => wasm.parseBearer(text(authorization, 'authorization')));
  }

  /** `{ user, password }` of an `Authorization: Basic` value, read strictly; else ERR_CREDENTIAL_MALFORMED. */
  function parseBasic(authorization) {
    const credentials = call(() => wasm.parseBasic(text(authorization, 'authorization')));
    const colon = credentials.indexOf(':');
    return { user: credentials.slice(0, colon), password: credentials.slice(colon + 1) };
  }

  /**
   * A JWK Set fetched from a URL (or named by an issuer's discovery
   * document) and cached as the engine decides (src/remote_jwks/): fresh
   * for Cache-Control, refetched once per cooldown for an unknown kid, stale
   * while refreshes fail for at most maxStaleness, one fetch at a time.
   */
  class RemoteKeySet {
    constructor(url, options = {}, kind = undefined) {
      if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
      for (const [name, value] of Object.entries(options)) {
        if (!REMOTE_OPTIONS.includes(name)) throw new TypeError(`options.${name} is not an option of RemoteKeySet`);
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
          throw new TypeError(`options.${name} must be a finite, non-negative number of milliseconds`);
        }
      }
      const seconds = REMOTE_OPTIONS.map((name) => (options[name] === undefined ? undefined : options[name] / 1000));
      this[HANDLE] = call(() => new wasm.WasmRemoteKeySet(text(url, 'url'), kind === FROM_ISSUER, ...seconds));
      this[FLIGHT] = null;
      // From an issuer, its tokens are the ones expected unless said otherwise:
      // identity providers share keys across tenants.
      this.issuer = kind === FROM_ISSUER ? url : undefined;
    }

    /** The keys of `issuer`, whose `/.well-known/openid-configuration` must name exactly it. */
    static fromIssuer(issuer, options) {
      return new RemoteKeySet(issuer, options, FROM_ISSUER);
    }

    /** The current keys, as a `KeySet`. */
    async keys() {
      await this.#ready(undefined);
      const set = Object.create(KeySet.prototype);
      set[HANDLE] = call(() => this[HANDLE].keys());
      return set;
    }

    /** `verifyAsync` with these keys; an unknown `kid` may refetch them once. */
    async verify(token, options) {
      // `issuer: undefined` (a setting that failed to load) keeps the pinned issuer, as leaving it out does.
      const expected = this.issuer !== undefined && options && typeof options === 'object' && (Object.hasOwn(options, 'issuer') ? options.issuer : undefined) === undefined ? { ...options, issuer: this.issuer } : options;
      const args = [text(token, 'token'), verifyOptionsJson(expected)];
      call(() => wasm.WasmRemoteKeySet.precheck(...args));
      await this.#ready(undefined);
      try {
        return await this.#verifyReady(args);
      } catch (error) {
        if (error?.code !== 'ERR_JWKS_NO_MATCHING_KEY') throw error;
      }
      await this.#ready(args[0]);
      return this.#verifyReady(args);
    }

    /** From memory when the current keys verified this token under these options, else through the host. */
    async #verifyReady(args) {
      const handle = this[HANDLE];
      const known = call(() => handle.recall(...args));
      if (known !== undefined) return JSON.parse(known);
      return settlePending(call(() => handle.pending(...args)), settleAsync);
    }

    /** Steps the engine until its set is ready: fetching, or awaiting the fetch under way. */
    async #ready(token) {
      const handle = this[HANDLE];
      // A discovery document and a set, and one retry: never a fetch loop.
      for (let fetches = 0; ; ) {
        const step = call(() => handle.step(Date.now() / 1000, token, this[FLIGHT] !== null));
        if (step === 0) return;
        if (step === 1) {
          if (++fetches > 3) throw new EdgeAuthError({ code: 'ERR_JWKS_UNAVAILABLE', message: 'the remote JWK Set is not ready after its fetches' });
          const request = [handle.requestUrl, handle.requestEtag, handle.requestSince, handle.timeoutMs, wasm.WasmRemoteKeySet.maxBytes()];
          this[FLIGHT] = fetchDocument(...request).then((result) => settleFetch(handle, result)).finally(() => { this[FLIGHT] = null; });
        }
        await this[FLIGHT];
      }
    }

    free() { this[HANDLE].free(); }
  }

  function settleFetch(handle, result) {
    const now = Date.now() / 1000;
    if (result.failure !== undefined) return handle.failed(now, result.failure);
    const { status, body, cacheControl, age, expires, date, etag, lastModified } = result;
    return handle.settle(now, status, body, cacheControl, age, expires, date, etag, lastModified);
  }

  function generateApiKey({ prefix } = {}) {
    return JSON.parse(call(() => wasm.generateApiKey(optionText(prefix, 'options.prefix'))));
  }

  function hashSecret(secret, { algorithm, iterations } = {}) {
    if (iterations !== undefined && !(Number.isInteger(iterations) && iterations > 0 && iterations <= 0xffffffff)) {
      throw new TypeError('options.iterations must be a positive whole number');
    }
    return call(() => wasm.hashSecret(bytes(secret, 'secret'), optionText(algorithm, 'options.algorithm'), iterations));
  }

  function verifySecret(secret, hash) {
    return call(() => wasm.verifySecret(bytes(secret, 'secret'), text(hash, 'hash')));
  }

  /** The wasm module's linear memory in bytes (flat across calls when nothing leaks). */
  const wasmMemoryBytes = () => wasm.wasmMemoryBytes();

  return { Key, KeySet, RemoteKeySet, Verifier, StoredSecrets, sign, signAsync, verify, verifyAsync, decode, parseBearer, parseBasic, generateApiKey, hashSecret, verifySecret, wasmMemoryBytes };
}
