// P-521 outside the package's main wasm (src/js/p521.rs): Node's node:crypto
// (npm/p521-node.mjs) and the separate P-521 module (p521-module/, for
// browsers and workerd) each make keys, sign and verify as the other checks,
// and the core still refuses what it refused with P-521 in wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Key } from 'edgeauth';
import { bind } from '../../pkg/api.mjs';
import * as wasm from '../../pkg/node/edgeauth.js';
import * as nodeP521 from '../../pkg/p521-node.mjs';
import { initSync } from '../../pkg/p521/edgeauth_p521.js';
import * as moduleP521 from '../../pkg/p521/edgeauth_p521.js';

initSync({ module: readFileSync(new URL('../../pkg/p521/edgeauth_p521_bg.wasm', import.meta.url)) });

const bytes = (text) => Buffer.from(text, 'base64url');
const text = (data) => Buffer.from(data).toString('base64url');

/** `jwk` with the last byte of member `name` changed. */
function altered(jwk, name) {
  const changed = bytes(jwk[name]);
  changed[changed.length - 1] ^= 1;
  return { ...jwk, [name]: text(changed) };
}

test('node:crypto and the P-521 module agree on points, and each verifies the other', () => {
  const jwk = Key.generate('ES512').toJwk(true);
  const d = bytes(jwk.d);
  const point = Buffer.concat([Buffer.from([4]), bytes(jwk.x), bytes(jwk.y)]);
  const message = new TextEncoder().encode('header.payload');
  for (const [signer, checker] of [[nodeP521, moduleP521], [moduleP521, nodeP521]]) {
    assert.deepEqual(Buffer.from(signer.publicPoint(d)), point);
    assert.equal(signer.checkPoint(point), true);
    assert.equal(signer.checkPoint(Buffer.concat([point.subarray(0, 131), Buffer.from([point[131] ^ 1])])), false);
    assert.equal(signer.publicPoint(new Uint8Array(66).fill(0xff)), undefined);
    const signature = signer.sign(d, point, message);
    assert.equal(signature.length, 132);
    assert.equal(checker.verify(point, message, signature), true);
    assert.equal(checker.verify(point, new TextEncoder().encode('another'), signature), false);
  }
});

/** The package with a host that can do nothing, so that wasm signs and verifies, through P-521 from node:crypto. */
const wasmOnly = bind(wasm, { synchronous: true, verifySignature: () => undefined, signingKey: () => undefined, signature: () => undefined });

test('in Node, ES512 keys are checked as before and sign and verify in wasm: off the curve or mismatched is refused', () => {
  const jwk = Key.generate('ES512').toJwk(true);
  const { d, ...publicJwk } = jwk;
  assert.equal(d.length > 0, true);
  const code = (make) => { try { make(); return 'accepted'; } catch (error) { return error.code; } };
  assert.equal(code(() => Key.fromJwk(altered(publicJwk, 'y'))), 'ERR_JWK_INVALID');
  assert.equal(code(() => Key.fromJwk(altered(jwk, 'd'))), 'ERR_JWK_INVALID');
  const token = wasmOnly.sign({ sub: 'p-521' }, wasmOnly.Key.fromJwk(jwk), { expiresIn: 60 });
  const publicKey = wasmOnly.Key.fromJwk(publicJwk);
  assert.equal(wasmOnly.verify(token, publicKey, { algorithms: ['ES512'] }).payload.sub, 'p-521');
  const forged = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BAAA' : 'AAAA'}`;
  assert.equal(code(() => wasmOnly.verify(forged, publicKey, { algorithms: ['ES512'] })), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
});

test('the browser entry loads the P-521 module only when asked: before, an ES512 key is ERR_JOSE_NOT_SUPPORTED', async () => {
  const web = await import('../../pkg/browser.mjs');
  await assert.rejects(web.loadP521(), /call init\(\) before loadP521\(\)/);
  await web.init(readFileSync(new URL('../../pkg/web/edgeauth_bg.wasm', import.meta.url)));
  assert.throws(() => web.Key.generate('ES512'), (error) => error.code === 'ERR_JOSE_NOT_SUPPORTED' && /loadP521/.test(error.message));
  assert.equal(web.Key.generate('ES256').alg, 'ES256');
  await web.loadP521(readFileSync(new URL('../../pkg/p521/edgeauth_p521_bg.wasm', import.meta.url)));
  const key = web.Key.generate('ES512');
  const token = await web.signAsync({ sub: 'loaded' }, key, { expiresIn: 60 });
  assert.equal(web.verify(token, web.Key.fromJwk(key.toJwk()), { algorithms: ['ES512'] }).payload.sub, 'loaded');
});
