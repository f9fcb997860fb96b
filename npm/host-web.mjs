// WebCrypto's signature code for RSA, ECDSA and Ed25519 (see
// src/js/host.rs), in browsers and Workers: asynchronous, so only
// `verifyAsync` and `signAsync` use it. Checks resolve to true or false,
// signatures to bytes; undefined means the host cannot (an algorithm or
// curve it lacks): the wasm engine then does. Public keys are imported once
// per RFC 7638 thumbprint; private keys once per Key (the package keeps them on it).
/** WebCrypto answers with promises: only `verifyAsync` and `signAsync` use it. */
export const synchronous = false;

const MAX_KEYS = 256;
const keys = new Map();

/** WebCrypto's parameters for `alg` (RS*, PS*, ES*, EdDSA): to import a key, and to sign or verify with it. */
function parameters(alg) {
  if (alg === 'EdDSA') return { imported: { name: 'Ed25519' }, used: { name: 'Ed25519' } };
  const hash = `SHA-${alg.slice(2)}`;
  const bytes = Number(alg.slice(2)) / 8;
  switch (alg.slice(0, 2)) {
    case 'RS': return { imported: { name: 'RSASSA-PKCS1-v1_5', hash }, used: { name: 'RSASSA-PKCS1-v1_5' } };
    case 'PS': return { imported: { name: 'RSA-PSS', hash }, used: { name: 'RSA-PSS', saltLength: bytes } };
    case 'ES': return { imported: { name: 'ECDSA' }, used: { name: 'ECDSA', hash } };
    default: return undefined;
  }
}

/** `parameters` of every algorithm the host computes, made once. */
const PARAMETERS = new Map(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'].map((alg) => [alg, parameters(alg)]));

/** JWK text `jwk` imported for `usage` under `alg`'s parameters `imported`: a promise. */
function imported(jwk, imported, usage) {
  const members = JSON.parse(jwk);
  return crypto.subtle.importKey('jwk', members, { ...imported, namedCurve: members.crv }, false, [usage]);
}

/**
 * The public key whose RFC 7638 thumbprint is `id`, imported for `alg`;
 * `jwk()` gives its JWK text on first use. `{ ready }` once imported, so
 * later checks need not await the import again; else `{ importing }`.
 */
function publicKey(alg, id, jwk, params) {
  const name = `${alg} ${id}`;
  let key = keys.get(name);
  if (key === undefined) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = { importing: imported(jwk(), params.imported, 'verify') };
    key.importing.then((ready) => { key.ready = ready; }, () => {});
    keys.set(name, key);
  }
  return key;
}

/** A promise: whether `signature` over `input` verifies under `alg` with the public key `id` (see `publicKey`). */
export function verifySignature(alg, id, jwk, input, signature) {
  try {
    const params = PARAMETERS.get(alg);
    if (params === undefined || !globalThis.crypto?.subtle) return Promise.resolve(undefined);
    const key = publicKey(alg, id, jwk, params);
    const check = (ready) => crypto.subtle.verify(params.used, ready, signature, input);
    return (key.ready === undefined ? key.importing.then(check) : check(key.ready)).catch(() => undefined);
  } catch {
    return Promise.resolve(undefined);
  }
}

/** The private key of JWK text `jwk`, imported for signing under `alg`: a promise. */
export async function signingKey(alg, jwk) {
  try {
    const params = PARAMETERS.get(alg);
    if (params === undefined || !globalThis.crypto?.subtle) return undefined;
    return await imported(jwk, params.imported, 'sign');
  } catch {
    return undefined;
  }
}

/** The signature over `input` under `alg` with `key` (from `signingKey`): a promise of bytes. */
export function signature(alg, key, input) {
  try {
    return crypto.subtle.sign(PARAMETERS.get(alg).used, key, input).then((made) => new Uint8Array(made), () => undefined);
  } catch {
    return Promise.resolve(undefined);
  }
}
