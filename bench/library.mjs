// edgeauth (wasm, through the npm package) beside jose in one Node process, on
// the same keys and tokens, with the native Rust figures from
// bench/results/native.json (written by `cargo bench --bench native`) for the
// wasm/native ratio. In Node, verify checks RSA and ECDSA signatures with
// Node's crypto; the "WebCrypto" rows load the package's browser entry, whose
// verifyAsync is what browsers and Workers run. Run by `make bench`;
// `BENCH_SMOKE=1` for a quick pass.
import { readFileSync, existsSync } from 'node:fs';
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as jose from 'jose';
import * as edgeauth from 'edgeauth';
import { measure, report } from './harness.mjs';

const RSA_PEM = readFileSync(new URL('../tests/data/rsa2048.pkcs8.pem', import.meta.url), 'utf8');
const CLAIMS = { sub: 'bench', scope: 'read write', aud: 'edge' };
const NATIVE = new URL('./results/native.json', import.meta.url);

function edgeKey(alg) {
  if (alg.startsWith('HS')) return edgeauth.Key.generate(alg);
  return alg.startsWith('RS') || alg.startsWith('PS') ? edgeauth.Key.fromPem(RSA_PEM, alg) : edgeauth.Key.generate(alg);
}

/** One key pair, usable by both libraries, and a token edgeauth signed with it. */
async function setup(alg) {
  const key = edgeKey(alg);
  const secret = key.kty === 'oct';
  const publicKey = secret ? key : edgeauth.Key.fromJwk(key.toJwk());
  const joseKey = await jose.importJWK(key.toJwk(true), alg);
  const josePublic = secret ? joseKey : await jose.importJWK(key.toJwk(), alg);
  const token = edgeauth.sign(CLAIMS, key, { expiresIn: 3600 });
  return { alg, key, publicKey, joseKey, josePublic, token };
}

async function verifyRow({ alg, publicKey, josePublic, token }) {
  const options = { algorithms: [alg] };
  const edge = await measure(() => edgeauth.verify(token, publicKey, options));
  const theirs = await measure(() => jose.jwtVerify(token, josePublic, options));
  return { name: `verify ${alg}`, edgeauth: edge, jose: theirs };
}

async function signRow({ alg, key, joseKey }) {
  const edge = await measure(() => edgeauth.sign(CLAIMS, key, { expiresIn: 3600 }));
  const theirs = await measure(() => new jose.SignJWT(CLAIMS).setProtectedHeader({ alg }).setIssuedAt().setExpirationTime('1h').sign(joseKey));
  return { name: `sign ${alg}`, edgeauth: edge, jose: theirs };
}

/** verifyAsync through the browser entry: WebCrypto checks the signature, as in browsers and Workers. */
async function webCryptoRow({ alg, publicKey, josePublic, token }) {
  const webKey = web.Key.fromJwk(publicKey.toJwk());
  const options = { algorithms: [alg] };
  const edge = await measure(() => web.verifyAsync(token, webKey, options));
  const theirs = await measure(() => jose.jwtVerify(token, josePublic, options));
  return { name: `verifyAsync ${alg} (WebCrypto)`, edgeauth: edge, jose: theirs };
}

/** A repeated token: edgeauth's Verifier remembers it; jose verifies it again. */
async function repeatedRow({ alg, publicKey, josePublic, token }) {
  const verifier = new edgeauth.Verifier(publicKey, { algorithms: [alg] });
  const edge = await measure(() => verifier.verify(token));
  const theirs = await measure(() => jose.jwtVerify(token, josePublic, { algorithms: [alg] }));
  return { name: `verify ${alg} repeated`, edgeauth: edge, jose: theirs };
}

/** API-key check: edgeauth's verifySecret against the same HMAC check in node:crypto. */
async function apiKeyRow() {
  const { token, hash } = edgeauth.generateApiKey();
  const salt = Buffer.from('0123456789abcdef');
  const stored = createHmac('sha256', salt).update(token).digest();
  const edge = await measure(() => edgeauth.verifySecret(token, hash));
  const node = await measure(() => timingSafeEqual(createHmac('sha256', salt).update(token).digest(), stored));
  return { name: 'api key (hmac-sha256 hash)', edgeauth: edge, jose: node, note: 'vs node:crypto' };
}

function withRatios(rows) {
  const native = existsSync(NATIVE) ? JSON.parse(readFileSync(NATIVE, 'utf8')) : [];
  return rows.filter(Boolean).map((row) => {
    const nativeOps = native.find((n) => n.name === row.name)?.ops_per_sec;
    return { ...row, 'edgeauth/jose': row.edgeauth / row.jose, native: nativeOps, 'wasm/native': nativeOps ? row.edgeauth / nativeOps : undefined };
  });
}

const web = await import('../pkg/browser.mjs');
await web.init(readFileSync(new URL('../pkg/web/edgeauth_bg.wasm', import.meta.url)));

const rows = [];
for (const alg of ['HS256', 'RS256', 'PS256', 'ES256', 'ES384', 'EdDSA']) rows.push(await verifyRow(await setup(alg)));
for (const alg of ['RS256', 'PS256', 'ES256', 'ES384']) rows.push(await webCryptoRow(await setup(alg)));
for (const alg of ['HS256', 'ES256', 'EdDSA', 'RS256']) rows.push(await signRow(await setup(alg)));
rows.push(await repeatedRow(await setup('ES256')));
rows.push(await apiKeyRow());
report('library', 'edgeauth (wasm) vs jose, ops/s, one Node process', withRatios(rows),
  ['edgeauth', 'jose', 'edgeauth/jose', 'native', 'wasm/native']);
