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

/** JWK text `jwk` imported for `usage` under `alg`'s parameters `imported`: a promise. */
function imported(jwk, imported, usage) {
  const members = JSON.parse(jwk);
  return crypto.subtle.importKey('jwk', members, { ...imported, namedCurve: members.crv }, false, [usage]);
}

/** The imported public key whose RFC 7638 thumbprint is `id`, for `alg`; `jwk()` gives its JWK text on first use. */
function publicKey(alg, id, jwk, params) {
  const name = `${alg} ${id}`;
  let key = keys.get(name);
  if (key === undefined) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = imported(jwk(), params.imported, 'verify');
    keys.set(name, key);
  }
  return key;
}

/** Whether `signature` over `input` verifies under `alg` with the public key `id` (see `publicKey`). */
export async function verifySignature(alg, id, jwk, input, signature) {
  try {
    const params = parameters(alg);
    if (params === undefined || !globalThis.crypto?.subtle) return undefined;
    return await crypto.subtle.verify(params.used, await publicKey(alg, id, jwk, params), signature, input);
  } catch {
    return undefined;
  }
}

/** The private key of JWK text `jwk`, imported for signing under `alg`: a promise. */
export async function signingKey(alg, jwk) {
  try {
    const params = parameters(alg);
    if (params === undefined || !globalThis.crypto?.subtle) return undefined;
    return await imported(jwk, params.imported, 'sign');
  } catch {
    return undefined;
  }
}

/** The signature over `input` under `alg` with `key` (from `signingKey`): a promise of bytes. */
export async function signature(alg, key, input) {
  try {
    return new Uint8Array(await crypto.subtle.sign(parameters(alg).used, key, input));
  } catch {
    return undefined;
  }
}
