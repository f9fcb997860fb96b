// The jose side of the interop test (tests/interop_jose.rs drives it).
//
//   node tests/interop/jose.mjs mint    -> JSON [{alg, jwk, token}] on stdout:
//                                          a fresh key per algorithm, its public JWK,
//                                          and a token jose signed with it
//   node tests/interop/jose.mjs verify  <- JSON [{alg, jwk, token}] on stdin
//                                       -> JSON [{alg, ok, error}] on stdout
import * as jose from 'jose';

const ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512', 'EdDSA'];

const CLAIMS = { sub: 'interop', scope: 'read write', nested: { list: [1, 2.5, 'x'] } };

async function keyFor(alg) {
  if (alg.startsWith('HS')) {
    const secret = await jose.generateSecret(alg, { extractable: true });
    const jwk = await jose.exportJWK(secret);
    return { signing: secret, jwk };
  }
  const options = { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) };
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, options);
  return { signing: privateKey, jwk: await jose.exportJWK(publicKey) };
}

async function mint() {
  const out = [];
  for (const alg of ALGORITHMS) {
    const { signing, jwk } = await keyFor(alg);
    jwk.kid = `jose-${alg}`;
    const token = await new jose.SignJWT(CLAIMS)
      .setProtectedHeader({ alg, kid: jwk.kid, typ: 'JWT' })
      .setIssuedAt()
      .setIssuer('https://jose.example')
      .setAudience(['edgeauth', 'other'])
      .setExpirationTime('5m')
      .setJti('jti-' + alg)
      .sign(signing);
    out.push({ alg, jwk, token });
  }
  return out;
}

async function verify(cases) {
  const out = [];
  for (const { alg, jwk, token } of cases) {
    try {
      const key = await jose.importJWK(jwk, alg);
      const { payload } = await jose.jwtVerify(token, key, {
        algorithms: [alg], issuer: 'https://edgeauth.example', audience: 'jose',
      });
      out.push({ alg, ok: payload.sub === 'interop' });
    } catch (error) {
      out.push({ alg, ok: false, error: `${error.code ?? ''} ${error.message}` });
    }
  }
  return out;
}

const mode = process.argv[2];
if (mode === 'mint') {
  process.stdout.write(JSON.stringify(await mint()));
} else if (mode === 'verify') {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  process.stdout.write(JSON.stringify(await verify(JSON.parse(input))));
} else {
  console.error('usage: jose.mjs mint | verify');
  process.exit(2);
}
