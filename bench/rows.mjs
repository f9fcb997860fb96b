// What the library benchmarks compare, host-neutral: the same rows run in
// Node (library.mjs), in headless Chromium (library-chromium.mjs) and in
// workerd (library-workerd.mjs). Each row names an operation and, per side,
// an async factory that sets up (keys, tokens, imports) and returns the
// operation to time. jose's side is jwtVerify / SignJWT with a key imported
// once (jose caches what it derives from it). Sides shared by several rows
// (jose verifying one token, for `verify` and `verifyAsync`) are one factory,
// measured once (rows-run.mjs).

export const ALGORITHMS = ['HS256', 'RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const REPEATED = ['HS256', 'ES256'];
const CLAIMS = { sub: 'bench', scope: 'read write', aud: 'edge' };
const SIGN_OPTIONS = { expiresIn: 3600 };

/** `make(arg)`, made once per `arg`. */
function once(make) {
  const made = new Map();
  return (arg) => {
    if (!made.has(arg)) made.set(arg, make(arg));
    return made.get(arg);
  };
}

/** A key for `alg` (RSA from `rsaPem`: generating one in wasm is slow), its public half, and a token it signed. */
function fixture(edgeauth, rsaPem, alg) {
  const key = /^(RS|PS)/.test(alg) ? edgeauth.Key.fromPem(rsaPem, alg) : edgeauth.Key.generate(alg);
  const publicKey = key.kty === 'oct' ? key : edgeauth.Key.fromJwk(key.toJwk());
  return { key, publicKey, token: edgeauth.sign(CLAIMS, key, SIGN_OPTIONS) };
}

/** The sides of jose, one factory per operation and algorithm. */
function joseSides(jose, fixtures) {
  // A secret has no public half: both sides of HMAC hold it.
  const imported = (alg, forSigning) => {
    const { key } = fixtures(alg);
    return jose.importJWK(key.toJwk(forSigning || key.kty === 'oct'), alg);
  };
  return {
    verify: once((alg) => async () => {
      const [key, { token }, options] = [await imported(alg, false), fixtures(alg), { algorithms: [alg] }];
      return () => jose.jwtVerify(token, key, options);
    }),
    sign: once((alg) => async () => {
      const key = await imported(alg, true);
      return () => new jose.SignJWT(CLAIMS).setProtectedHeader({ alg }).setIssuedAt().setExpirationTime('1h').sign(key);
    }),
  };
}

/** edgeauth's `name` function, or a refusal to measure what this build lacks. */
function required(edgeauth, name) {
  if (typeof edgeauth[name] !== 'function') throw new Error(`this build has no ${name}`);
  return edgeauth[name];
}

/** The sides of edgeauth: `fn` is the package function (or Verifier method) timed. */
function edgeauthSides(edgeauth, fixtures) {
  return {
    verify: (fn, alg) => async () => {
      const [verify, { token, publicKey }, options] = [required(edgeauth, fn), fixtures(alg), { algorithms: [alg] }];
      return () => verify(token, publicKey, options);
    },
    repeated: (method, alg) => async () => {
      const { token, publicKey } = fixtures(alg);
      const verifier = new edgeauth.Verifier(publicKey, { algorithms: [alg] });
      return () => verifier[method](token);
    },
    sign: (fn, alg) => async () => {
      const [sign, { key }] = [required(edgeauth, fn), fixtures(alg)];
      return () => sign(CLAIMS, key, SIGN_OPTIONS);
    },
  };
}

/** The rows for one host: `syncVerify` where the host checks signatures synchronously (Node). */
export function benchRows({ edgeauth, jose, rsaPem, syncVerify }) {
  const fixtures = once((alg) => fixture(edgeauth, rsaPem, alg));
  const [ours, theirs] = [edgeauthSides(edgeauth, fixtures), joseSides(jose, fixtures)];
  const verifyRow = (fn) => (alg) => ({ name: `${fn} ${alg}`, edgeauth: ours.verify(fn, alg), jose: theirs.verify(alg) });
  const repeatedRow = (method) => (alg) => ({ name: `${method} ${alg} repeated`, edgeauth: ours.repeated(method, alg), jose: theirs.verify(alg) });
  // Where the host's crypto is asynchronous, synchronous `sign` has only wasm for RSA, ECDSA and Ed25519: `signAsync` is the host's.
  const wasmOnly = (fn, alg) => (fn === 'sign' && !syncVerify && !alg.startsWith('HS') ? 'wasm only: signAsync is the host path' : undefined);
  const signRow = (fn) => (alg) => ({ name: `${fn} ${alg}`, edgeauth: ours.sign(fn, alg), jose: theirs.sign(alg), note: wasmOnly(fn, alg) });
  return [
    ...(syncVerify ? ALGORITHMS.map(verifyRow('verify')) : []),
    ...ALGORITHMS.map(verifyRow('verifyAsync')),
    ...REPEATED.map(repeatedRow('verify')),
    ...REPEATED.map(repeatedRow('verifyAsync')),
    ...ALGORITHMS.map(signRow('sign')),
    ...ALGORITHMS.map(signRow('signAsync')),
  ];
}
