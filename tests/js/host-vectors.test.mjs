// The hosts' signature checks (npm/host-node.mjs, npm/host-web.mjs) against
// Wycheproof's vectors (tests/vectors/wycheproof/, see its README): every
// valid signature verifies, and no invalid one does, through node:crypto and
// through WebCrypto, as the package hands them over. "acceptable" cases are
// left to the host; keys with no JWK form never reach one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as nodeHost from '../../pkg/host-node.mjs';
import * as webHost from '../../pkg/host-web.mjs';

const FILES = [
  ['ed25519_test.json', 'EdDSA'],
  ['ecdsa_secp256r1_sha256_p1363_test.json', 'ES256'],
  ['ecdsa_secp521r1_sha512_p1363_test.json', 'ES512'],
  ['rsa_signature_2048_sha256_test.json', 'RS256'],
];

const vectors = (file) => JSON.parse(readFileSync(new URL(`../vectors/wycheproof/${file}`, import.meta.url), 'utf8'));

/** The public JWK of a Wycheproof test group, with only the members the package hands a host; undefined for a key with no JWK form. */
function publicJwk(group) {
  const jwk = group.publicKeyJwk ?? group.keyJwk;
  if (jwk === undefined) return undefined;
  const { kty, n, e, crv, x, y } = jwk;
  return JSON.stringify({ kty, n, e, crv, x, y });
}

for (const [file, alg] of FILES) {
  test(`${file} through both hosts as ${alg}`, async () => {
    let checked = 0;
    for (const [index, group] of vectors(file).testGroups.entries()) {
      const jwk = publicJwk(group);
      if (jwk === undefined) continue;
      for (const { tcId, msg, sig, result } of group.tests) {
        if (result === 'acceptable') continue;
        const [input, signature] = [Buffer.from(msg, 'hex'), Buffer.from(sig, 'hex')];
        for (const host of [nodeHost, webHost]) {
          const verdict = await host.verifySignature(alg, `${file} ${index}`, () => jwk, input, signature);
          assert.equal(verdict === true, result === 'valid', `${file} tcId ${tcId} (${host.synchronous ? 'node' : 'webcrypto'})`);
        }
        checked++;
      }
    }
    assert.ok(checked > 100, `${checked} vectors`);
  });
}
