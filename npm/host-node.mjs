// Node's native signature code for RSA, ECDSA and Ed25519 (see
// src/js/host.rs): synchronous, so `verify` and `sign` use it too. Checks
// return true or false, signatures are bytes; undefined means Node cannot
// (the wasm engine then does). Public keys are imported once per RFC 7638
// thumbprint; private keys once per Key (the package keeps them on it).
import { constants, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';

/** Node answers at once, so the synchronous `verify` and `sign` use it too. */
export const synchronous = true;

const MAX_KEYS = 256;
const keys = new Map();

/** The imported public key whose RFC 7638 thumbprint is `id`; `jwk()` gives its JWK text on first use. */
function publicKey(id, jwk) {
  let key = keys.get(id);
  if (key === undefined) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = createPublicKey({ key: JSON.parse(jwk()), format: 'jwk' });
    keys.set(id, key);
  }
  return key;
}

/** node:crypto's hash name and key options for `alg` (RS*, PS*, ES*, EdDSA), or undefined for others. */
function parameters(alg, key) {
  if (alg === 'EdDSA') return [null, key];
  const hash = `sha${alg.slice(2)}`;
  switch (alg.slice(0, 2)) {
    case 'RS': return [hash, key];
    case 'PS': return [hash, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }];
    case 'ES': return [hash, { key, dsaEncoding: 'ieee-p1363' }];
    default: return undefined;
  }
}

/** Whether `signature` over `input` verifies under `alg` with the public key `id` (see `publicKey`). */
export function verifySignature(alg, id, jwk, input, signature) {
  try {
    const [hash, key] = parameters(alg, publicKey(id, jwk)) ?? [];
    return key === undefined ? undefined : verify(hash, input, key, signature);
  } catch {
    return undefined;
  }
}

/** The private key of JWK text `jwk`, imported for signing under `alg`. */
export function signingKey(alg, jwk) {
  try {
    return parameters(alg, null) === undefined ? undefined : createPrivateKey({ key: JSON.parse(jwk), format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** The signature over `input` under `alg` with `key` (from `signingKey`). */
export function signature(alg, key, input) {
  try {
    const [hash, options] = parameters(alg, key) ?? [];
    return options === undefined ? undefined : sign(hash, input, options);
  } catch {
    return undefined;
  }
}
