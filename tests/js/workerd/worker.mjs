// A Worker that uses the package as users would: bundled by wrangler, run in
// workerd. verifyAsync checks ECDSA with workerd's WebCrypto (P-521 too, or
// wasm where the host lacks it), and a tampered signature still fails;
// signAsync signs with it (P-521 and Ed25519 too).
import { Key, sign, signAsync, verify, verifyAsync, generateApiKey, verifySecret } from 'edgeauth';
import { verifySignature } from '../../../pkg/host-web.mjs';

/** `token` with one signature character changed (a middle one, so the base64url stays canonical). */
function tampered(token) {
  const at = token.lastIndexOf('.') + 10;
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

async function refusal(promise) {
  return promise.then(() => 'accepted', (error) => error.code);
}

export default {
  async fetch() {
    const key = Key.generate('ES256');
    const token = sign({ sub: 'in-workerd' }, key, { expiresIn: 60 });
    const publicKey = Key.fromJwk(key.toJwk());
    const { payload } = verify(token, publicKey, { algorithms: ['ES256'] });
    const viaHost = await verifyAsync(token, publicKey, { algorithms: ['ES256'] });
    const p521 = Key.generate('ES512');
    const p521Token = sign({ sub: 'p-521' }, p521, { expiresIn: 60 });
    const viaHostP521 = await verifyAsync(p521Token, Key.fromJwk(p521.toJwk()), { algorithms: ['ES512'] });
    const [input, signature] = [token.slice(0, token.lastIndexOf('.')), token.slice(token.lastIndexOf('.') + 1)];
    const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const { kty, crv, x, y } = key.toJwk();
    const jwk = () => JSON.stringify({ kty, crv, x, y });
    const webCrypto = await verifySignature('ES256', key.thumbprint(), jwk, new TextEncoder().encode(input), bytes(signature));
    const signedByHost = [];
    for (const alg of ['ES384', 'ES512', 'EdDSA']) {
      const signer = Key.generate(alg);
      const signed = await signAsync({ sub: alg }, signer, { expiresIn: 60 });
      signedByHost.push(verify(signed, Key.fromJwk(signer.toJwk()), { algorithms: [alg] }).payload.sub);
    }
    const apiKey = generateApiKey();
    return Response.json({
      sub: payload.sub,
      apiKey: verifySecret(apiKey.token, apiKey.hash),
      async: [viaHost.payload.sub, viaHostP521.payload.sub],
      signedByHost,
      webCrypto,
      tampered: await refusal(verifyAsync(tampered(token), publicKey, { algorithms: ['ES256'] })),
    });
  },
};
