// WebCrypto's signature check for RSA and ECDSA (see src/js/pending.rs), in
// browsers and Workers: asynchronous, with each public key imported once.
// Resolves to true or false, or undefined when the host cannot check (an
// algorithm or curve it lacks): the wasm engine then does.
/** WebCrypto answers with promises: only `verifyAsync` uses it. */
export const synchronous = false;

const MAX_KEYS = 256;
const keys = new Map();

function parameters(alg) {
  const hash = `SHA-${alg.slice(2)}`;
  const bytes = Number(alg.slice(2)) / 8;
  switch (alg.slice(0, 2)) {
    case 'RS': return { imported: { name: 'RSASSA-PKCS1-v1_5', hash }, verified: { name: 'RSASSA-PKCS1-v1_5' } };
    case 'PS': return { imported: { name: 'RSA-PSS', hash }, verified: { name: 'RSA-PSS', saltLength: bytes } };
    case 'ES': return { imported: { name: 'ECDSA' }, verified: { name: 'ECDSA', hash } };
    default: return undefined;
  }
}

/** The imported public key whose RFC 7638 thumbprint is `id`, for `alg`; `jwk()` gives its JWK text on first use. */
function publicKey(alg, id, jwk, imported) {
  const name = `${alg} ${id}`;
  let key = keys.get(name);
  if (key === undefined) {
    if (keys.size >= MAX_KEYS) keys.clear();
    const members = JSON.parse(jwk());
    key = crypto.subtle.importKey('jwk', members, { ...imported, namedCurve: members.crv }, false, ['verify']);
    keys.set(name, key);
  }
  return key;
}

/** Whether `signature` over `input` verifies under `alg` with the public key `id` (see `publicKey`). */
export async function verifySignature(alg, id, jwk, input, signature) {
  try {
    const params = parameters(alg);
    if (params === undefined || !globalThis.crypto?.subtle) return undefined;
    return await crypto.subtle.verify(params.verified, await publicKey(alg, id, jwk, params.imported), signature, input);
  } catch {
    return undefined;
  }
}
