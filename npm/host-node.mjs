// Node's native signature check for RSA and ECDSA (see src/js/pending.rs):
// synchronous, with each public key imported once. Returns true or false,
// or undefined when Node cannot check (the wasm engine then does).
import { constants, createPublicKey, verify } from 'node:crypto';

/** Node answers at once, so the synchronous `verify` uses it too. */
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

/** Whether `signature` over `input` verifies under `alg` with the public key `id` (see `publicKey`). */
export function verifySignature(alg, id, jwk, input, signature) {
  try {
    const key = publicKey(id, jwk);
    const hash = `sha${alg.slice(2)}`;
    switch (alg.slice(0, 2)) {
      case 'RS': return verify(hash, input, key, signature);
      case 'PS': return verify(hash, input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
      case 'ES': return verify(hash, input, { key, dsaEncoding: 'ieee-p1363' }, signature);
      default: return undefined;
    }
  } catch {
    return undefined;
  }
}
