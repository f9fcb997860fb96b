// The host's WebCrypto for the Worker's RSA signing keys (RS256, PS256...):
// ring cannot generate RSA keys, and signs with them in wasm some 30 times
// slower than the host does (src/signing_keys.rs, `host_crypto`). The wasm
// side decides everything else; these only do the math.

/** WebCrypto's parameters for a JWS RSA algorithm (RS256, PS384...). */
function params(alg) {
  const bits = Number(alg.slice(2));
  return { name: alg.startsWith('PS') ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: `SHA-${bits}`, saltLength: bits / 8 };
}

/** A fresh RSA key pair for `alg`, its private half as JWK text. */
export async function generateRsaJwk(alg, bits) {
  const { name, hash } = params(alg);
  const pair = await crypto.subtle.generateKey({ name, hash, modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['sign', 'verify']);
  return JSON.stringify(await crypto.subtle.exportKey('jwk', pair.privateKey));
}

/** A non-extractable signing CryptoKey from private JWK text (as the wasm unsealed it). */
export function importRsaSigningKey(alg, jwkText) {
  const { name, hash } = params(alg);
  return crypto.subtle.importKey('jwk', JSON.parse(jwkText), { name, hash }, false, ['sign']);
}

/** The signature of `data` (a Uint8Array) under `key`, as a Uint8Array. */
export async function signRsa(alg, key, data) {
  const { name, saltLength } = params(alg);
  return new Uint8Array(await crypto.subtle.sign({ name, saltLength }, key, data));
}
