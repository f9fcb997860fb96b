// Types of `edgeauth/hono`: Hono middleware over the package (hand-written).
import type { MiddlewareHandler } from 'hono';
import type { Claims, JwkSet, Key, KeySet, ProtectedHeader, RemoteKeySet, VerifyOptions } from './index.js';

/** Who the request is, as `c.get('auth')` gives it after a middleware let it in. */
export type Auth =
  | { method: 'jwt'; subject: string | undefined; claims: Claims; header: ProtectedHeader }
  | { method: 'key'; subject: string; claims: { key_set: string } }
  | { method: 'basic'; subject: string; claims: { user: string } };

/** The Hono environment the middleware sets: `c.get('auth')`. */
export type AuthEnv = { Variables: { auth: Auth } };

declare module 'hono' {
  interface ContextVariableMap {
    auth: Auth;
  }
}

/** A value, or a function of the Worker's `env` giving it at the first request (then kept for the isolate). */
export type FromEnv<T> = T | ((env: any) => T);

interface Common {
  /** The realm of the `WWW-Authenticate` challenge. Default "edgeauth". */
  realm?: string;
}

/**
 * `verify`'s options, with where the keys come from: exactly one of `keys`, `jwks` and `remote`.
 * `keys` and `jwks` are read once, at the first request (with `cache`, the default, the set is
 * copied then): a key removed from a `KeySet` later is still accepted. To retire a key, make the
 * middleware anew, or serve the keys as a `RemoteKeySet`, which follows its JWKS.
 */
export type JwtAuthOptions = VerifyOptions & Common & {
  /** Every one must be in the token's `scope` (space-separated) or `scopes` (a list), else 403. */
  scopes?: string[];
  /** Remember verified tokens per isolate, as `Verifier` does (default true; a `RemoteKeySet` always remembers them itself). */
  cache?: boolean;
} & (
  | { keys: FromEnv<Key | KeySet>; jwks?: never; remote?: never }
  | { jwks: FromEnv<JwkSet>; keys?: never; remote?: never }
  | { remote: FromEnv<RemoteKeySet>; keys?: never; jwks?: never }
);

export interface ApiKeyAuthOptions extends Common {
  /** Stored hashes (PHC PBKDF2 or HMAC-SHA256, bcrypt, Moose); every one is checked. */
  hashes: FromEnv<string | string[]>;
  /** The header the key comes in. Default "X-API-Key"; with "Authorization", as `Bearer <key>`. */
  header?: string;
  /** The subject of `c.get('auth')`. Default "api_key". */
  name?: string;
}

export interface BasicAuthOptions extends Common {
  /** User names to stored hashes. */
  users: FromEnv<{ [user: string]: string }>;
}

/** A bearer JWT: 401 with `WWW-Authenticate: Bearer` when missing or refused, 403 without `scopes`, 503 when a remote key set is unreachable. */
export function jwtAuth(options: JwtAuthOptions): MiddlewareHandler<AuthEnv>;
/** An API key checked against stored hashes, in constant time. */
export function apiKeyAuth(options: ApiKeyAuthOptions): MiddlewareHandler<AuthEnv>;
/** `Authorization: Basic` checked against stored hashes; an unknown user costs the same work as a known one. */
export function basicAuth(options: BasicAuthOptions): MiddlewareHandler<AuthEnv>;
/** The first of these middlewares that lets the request in wins; otherwise the first one's challenge. */
export function anyOf(...middlewares: MiddlewareHandler<AuthEnv>[]): MiddlewareHandler<AuthEnv>;
