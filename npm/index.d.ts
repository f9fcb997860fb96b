// Types of the edgeauth package (hand-written: the real option and result shapes).

export type Algorithm =
  | 'HS256' | 'HS384' | 'HS512'
  | 'RS256' | 'RS384' | 'RS512'
  | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512'
  | 'EdDSA';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [member: string]: JsonValue };

/** A JSON Web Key (RFC 7517) as edgeauth reads and writes it. */
export interface Jwk {
  kty: 'oct' | 'RSA' | 'EC' | 'OKP';
  kid?: string;
  alg?: Algorithm;
  use?: 'sig';
  key_ops?: string[];
  crv?: 'P-256' | 'P-384' | 'P-521' | 'Ed25519';
  k?: string; n?: string; e?: string; x?: string; y?: string;
  d?: string; p?: string; q?: string; dp?: string; dq?: string; qi?: string;
}

export interface JwkSet {
  keys: Jwk[];
}

/** The protected header of a verified (or decoded) token. */
export interface ProtectedHeader {
  alg: string;
  kid?: string;
  typ?: string;
  [member: string]: JsonValue | undefined;
}

/** Registered and private claims. */
export interface Claims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  [claim: string]: JsonValue | undefined;
}

export interface VerifyResult {
  header: ProtectedHeader;
  payload: Claims;
}

/**
 * What a token must satisfy. Leave an option out (or `undefined`) for no
 * check; no value turns a check off. `null`, `NaN` and the infinities, a
 * negative number, an `undefined` or `null` inside an array, an empty
 * `issuer` or `audience` list and an empty string to match are a
 * `TypeError` naming the option.
 */
export interface VerifyOptions {
  /** The algorithms accepted. Required: there is no default. */
  algorithms: Algorithm[];
  /** `iss` must be present and one of these. */
  issuer?: string | string[];
  /** `aud` must be present and hold one of these. */
  audience?: string | string[];
  /** `sub` must be present and equal this. */
  subject?: string;
  /** Expected header `typ`, case-insensitive; `application/` is implied only for a value without `/` (RFC 7515 §4.1.9). */
  typ?: string;
  /** Seconds of clock skew tolerated, a non-negative integer. Default 0. */
  clockTolerance?: number;
  /** The oldest `iat` accepted, in seconds (a non-negative integer); `iat` is then required. */
  maxTokenAge?: number;
  requiredClaims?: string[];
  /** Default true. */
  requireExp?: boolean;
  /** The current time: non-negative seconds since the epoch, or a valid Date. */
  currentDate?: number | Date;
  /** Default 16384 bytes. */
  maxTokenSize?: number;
}

/** As for `VerifyOptions`: left out means not set, and `null` or a non-finite number is a `TypeError`. */
export interface SignOptions {
  kid?: string;
  /** Default "JWT". */
  typ?: string;
  /** Extra protected header members; `alg` always comes from the key. */
  header?: { [member: string]: JsonValue };
  /** Seconds from now. */
  expiresIn?: number;
  /** Seconds from now. */
  notBefore?: number;
  issuer?: string;
  audience?: string | string[];
  subject?: string;
  /** A value, or `true` for 128 random bits. */
  jti?: string | boolean;
  /** Set `iat` to now. Default true. */
  iat?: boolean;
  /** The current time in seconds since the epoch. */
  currentDate?: number;
}

export type ErrorCode =
  | 'ERR_JWS_INVALID' | 'ERR_JWT_INVALID' | 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
  | 'ERR_JOSE_ALG_NOT_ALLOWED' | 'ERR_JOSE_NOT_SUPPORTED' | 'ERR_JWT_EXPIRED'
  | 'ERR_JWT_CLAIM_VALIDATION_FAILED' | 'ERR_JWK_INVALID' | 'ERR_JWKS_NO_MATCHING_KEY'
  | 'ERR_JWKS_MULTIPLE_MATCHING_KEYS' | 'ERR_JWKS_INVALID' | 'ERR_JWKS_TIMEOUT' | 'ERR_JWKS_UNAVAILABLE' | 'ERR_JWT_TOO_LARGE'
  | 'ERR_CREDENTIAL_MALFORMED' | 'ERR_CREDENTIAL_REJECTED' | 'ERR_CREDENTIAL_REVOKED'
  | 'ERR_CREDENTIAL_EXPIRED' | 'ERR_HASH_INVALID' | 'ERR_STORE_UNAVAILABLE' | 'ERR_AT_REST_INVALID'
  | 'ERR_RATE_LIMITED';

export class EdgeAuthError extends Error {
  readonly code: ErrorCode;
  /** The claim a claim failure is about. */
  readonly claim?: string;
  readonly reason?: 'missing' | 'invalid' | 'mismatch' | 'check_failed';
}

export class Key {
  private constructor();
  static fromJwk(jwk: Jwk | string): Key;
  static fromPem(pem: string, alg: Algorithm, kid?: string): Key;
  static fromSecret(secret: string | Uint8Array, alg: 'HS256' | 'HS384' | 'HS512', kid?: string): Key;
  /** A fresh key for HS*, ES* or EdDSA; its kid defaults to its RFC 7638 thumbprint. */
  static generate(alg: Algorithm, kid?: string): Key;
  readonly alg: Algorithm | undefined;
  readonly kid: string | undefined;
  readonly kty: 'oct' | 'RSA' | 'EC' | 'OKP';
  readonly isPrivate: boolean;
  toJwk(includePrivate?: boolean): Jwk;
  /** RFC 7638 thumbprint, SHA-256, base64url. */
  thumbprint(): string;
  free(): void;
}

export class KeySet {
  constructor(jwks?: JwkSet | string);
  add(key: Key): this;
  remove(kid: string): boolean;
  get(kid: string): Key | undefined;
  readonly size: number;
  /** Public keys only, ready to serve as /.well-known/jwks.json. */
  toJwks(): JwkSet;
  free(): void;
}

/** RemoteKeySet's timings, in milliseconds (finite, non-negative). */
export interface RemoteKeySetOptions {
  /** How long a fetch may take. Default 5000. */
  timeoutDuration?: number;
  /** The least time between fetches for unknown `kid`s, and after a failed fetch. Default 30000. */
  cooldownDuration?: number;
  /** Freshness from `Cache-Control`/`Age`/`Expires` is raised to this. Default 60000. */
  cacheMinAge?: number;
  /** ...and lowered to this; also the freshness when the provider says nothing. Default 600000. */
  cacheMaxAge?: number;
  /** How long past its freshness the last good set serves while refreshes fail. Default 3600000. */
  maxStaleness?: number;
}

/**
 * A provider's JWK Set, fetched over https (http only to loopback) with no
 * redirects followed and at most 256 KiB read, and cached: fresh for its
 * `Cache-Control` (`s-maxage`, `max-age`, `no-cache`, `no-store`,
 * `stale-if-error`) less `Age`, else `Expires`, within `cacheMinAge` and
 * `cacheMaxAge`. A token with an unknown `kid` refetches at most once per
 * cooldown; when a refresh fails, the last good set serves up to
 * `maxStaleness`, then `ERR_JWKS_TIMEOUT`, `ERR_JWKS_UNAVAILABLE` or
 * `ERR_JWKS_INVALID`. Concurrent verifications share one fetch. Tokens that
 * verified are remembered (claims still checked each time) while the set and
 * the options stay the same.
 */
export class RemoteKeySet {
  constructor(url: string, options?: RemoteKeySetOptions);
  /** The set named by `issuer`'s `/.well-known/openid-configuration`, whose `issuer` must equal it exactly. */
  static fromIssuer(issuer: string, options?: RemoteKeySetOptions): RemoteKeySet;
  /** The issuer of a set made `fromIssuer`: `verify` expects it unless its options name `issuer`. */
  readonly issuer?: string;
  /** `verifyAsync` with the current keys; no fetch before the token's shape, `alg` and `iss` are checked. */
  verify(token: string, options: VerifyOptions): Promise<VerifyResult>;
  /** The current keys. */
  keys(): Promise<KeySet>;
  free(): void;
}

/**
 * Verifies with fixed keys and options, remembering tokens that verified
 * (1024 of them). Results are deeply frozen, and a remembered token gets the
 * same result object each time, answered without the engine while its time
 * claims surely still pass (more than a second from `exp`, `nbf` or
 * `maxTokenAge`); nearer, the engine checks them again.
 */
export class Verifier {
  constructor(keys: Key | KeySet, options: VerifyOptions);
  verify(token: string): Readonly<VerifyResult>;
  /** `verify`, with RSA, ECDSA and Ed25519 signatures of tokens not yet remembered checked by the host's native crypto (WebCrypto in Workers). */
  verifyAsync(token: string): Promise<Readonly<VerifyResult>>;
  free(): void;
}

/**
 * Stored hashes by name (Basic users, API key sets): PHC `$pbkdf2-sha256$`
 * and `$hmac-sha256$`, bcrypt and Moose's hashes, each validated here
 * (`ERR_HASH_INVALID`). Every hash of a name is checked; a secret presented
 * for an unknown name costs the work of the costliest hash and is refused;
 * outcomes are remembered for 30 s (by SHA-256, never the secret), so a
 * right or retried secret costs no second hash.
 */
export class StoredSecrets {
  constructor(hashes: { [name: string]: string | string[] });
  verify(name: string, secret: string): Promise<boolean>;
}

/** The token of an `Authorization: Bearer` value, read strictly (RFC 6750 token68); else `ERR_CREDENTIAL_MALFORMED`. */
export function parseBearer(authorization: string): string;
/** The user and password of an `Authorization: Basic` value (RFC 7617, UTF-8), read strictly; else `ERR_CREDENTIAL_MALFORMED`. */
export function parseBasic(authorization: string): { user: string; password: string };

/**
 * Signs a token synchronously. In Node, RSA, ECDSA and Ed25519 signatures are made by
 * Node's native crypto (the private key imported once per `Key`); elsewhere
 * by the wasm engine.
 */
export function sign(payload: Claims, key: Key, options?: SignOptions): string;
/**
 * `sign`, with RSA, ECDSA and Ed25519 signatures made by the host's native crypto
 * everywhere: WebCrypto in browsers and Workers, Node's crypto in Node. The
 * private key is imported once per `Key` (not extractable in WebCrypto). Where the host
 * lacks an algorithm or curve, the wasm engine signs. Rejects with an
 * `EdgeAuthError` as `sign` throws one.
 */
export function signAsync(payload: Claims, key: Key, options?: SignOptions): Promise<string>;
/**
 * Verifies a token synchronously. In Node, RSA, ECDSA and Ed25519 signatures are
 * checked by Node's native crypto; elsewhere by the wasm engine.
 */
export function verify(token: string, keys: Key | KeySet, options: VerifyOptions): VerifyResult;
/**
 * `verify`, with RSA, ECDSA and Ed25519 signatures checked by the host's native
 * crypto everywhere: WebCrypto in browsers and Workers, Node's crypto in Node.
 * Parsing, the algorithm list, the choice of key and the claims stay in the
 * engine. Rejects with an `EdgeAuthError` as `verify` throws one.
 */
export function verifyAsync(token: string, keys: Key | KeySet, options: VerifyOptions): Promise<VerifyResult>;
/** Reads a token WITHOUT verifying it: for display and debugging only. */
export function decode(token: string): VerifyResult;

export interface GeneratedApiKey {
  /** Show it once; store only `hash`. */
  token: string;
  keyId: string;
  hash: string;
}

export function generateApiKey(options?: { prefix?: string }): GeneratedApiKey;
export function hashSecret(secret: string | Uint8Array, options?: { algorithm?: 'sha256' | 'pbkdf2-sha256'; iterations?: number }): string;
/** Accepts PHC ($hmac-sha256$, $pbkdf2-sha256$), bcrypt and Moose hashes. */
export function verifySecret(secret: string | Uint8Array, hash: string): boolean;

/** The wasm module's linear memory in bytes (flat across calls when nothing leaks). */
export function wasmMemoryBytes(): number;

type WasmSource = string | URL | Response | BufferSource | WebAssembly.Module;
/**
 * Browsers: fetches and instantiates the wasm; call once before anything
 * else. `p521` (true, or where the P-521 module is) loads the P-521 module
 * too, as `loadP521` does. Node and Workers: no-op.
 */
export function init(input?: WasmSource, options?: { p521?: boolean | WasmSource }): Promise<void>;
/**
 * Browsers: loads the separate P-521 module (from `input`, else next to the
 * package's files), once, after `init`: ES512 keys work from then on
 * (WebCrypto's P-521 is asynchronous, the synchronous calls need their own).
 * Until then an ES512 key is `ERR_JOSE_NOT_SUPPORTED`. Node (node:crypto)
 * and Workers (the module, instantiated on first use): no-op.
 */
export function loadP521(input?: WasmSource): Promise<void>;
