// P-521 in Node for the package's main wasm, which is built without it
// (src/js/p521.rs): node:crypto, synchronously. Points are SEC1 uncompressed,
// scalars 66 bytes, signatures R || S; a refusal is false or undefined.
import { ECDH, createECDH, createPrivateKey, createPublicKey, sign as signWith, verify as verifyWith } from 'node:crypto';

const CURVE = 'secp521r1';
const COORDINATE_BYTES = 66;

/** The JWK of `point` (and of the private scalar `d`, when given), as node:crypto imports it. */
function jwk(point, d) {
  const part = (bytes) => Buffer.from(bytes).toString('base64url');
  const key = { kty: 'EC', crv: 'P-521', x: part(point.subarray(1, 1 + COORDINATE_BYTES)), y: part(point.subarray(1 + COORDINATE_BYTES)) };
  return { key: d === undefined ? key : { ...key, d: part(d) }, format: 'jwk' };
}

/** Answers `compute()`, or `refused` when node:crypto throws (off the curve, out of range). */
function attempt(compute, refused) {
  try {
    return compute();
  } catch {
    return refused;
  }
}

export function checkPoint(point) {
  return attempt(() => ECDH.convertKey(point, CURVE).length > 0, false);
}

export function publicPoint(d) {
  return attempt(() => {
    const ecdh = createECDH(CURVE);
    ecdh.setPrivateKey(d);
    return new Uint8Array(ecdh.getPublicKey());
  }, undefined);
}

export function sign(d, point, message) {
  return attempt(() => new Uint8Array(signWith('sha512', message, { key: createPrivateKey(jwk(point, d)), dsaEncoding: 'ieee-p1363' })), undefined);
}

export function verify(point, message, signature) {
  return attempt(() => verifyWith('sha512', message, { key: createPublicKey(jwk(point)), dsaEncoding: 'ieee-p1363' }, signature), false);
}
