// Compiled with `tsc --noEmit` to check the package's declarations.
import { Key, KeySet, RemoteKeySet, Verifier, sign, signAsync, loadP521, verify, verifyAsync, decode, EdgeAuthError, generateApiKey, type VerifyResult, type Jwk } from 'edgeauth';

const key: Key = Key.generate('ES256');
const jwk: Jwk = key.toJwk();
const set = new KeySet({ keys: [jwk] }).add(Key.fromSecret('s'.repeat(32), 'HS256'));
const token: string = sign({ sub: 'u', roles: ['a'] }, key, { expiresIn: 60, audience: ['x'], jti: true });
const signedLater: Promise<string> = signAsync({ sub: 'u' }, key, { expiresIn: 60 });
const result: VerifyResult = verify(token, set, { algorithms: ['ES256'], audience: 'x', currentDate: new Date() });
const sub: string | undefined = result.payload.sub;
const alg: string = result.header.alg;
const again = new Verifier(key, { algorithms: ['ES256'] }).verify(token);
const later: Promise<VerifyResult> = verifyAsync(token, set, { algorithms: ['ES256'] });
decode(token).payload.exp?.toFixed();
generateApiKey({ prefix: 'p' }).token.toUpperCase();
try {
  verify(token, key, { algorithms: ['HS256'] });
} catch (error) {
  if (error instanceof EdgeAuthError && error.code === 'ERR_JOSE_ALG_NOT_ALLOWED') console.log(error.claim, sub, alg, again, later);
}
// @ts-expect-error algorithms is required
verify(token, key, {});
// @ts-expect-error fromSecret serves only HS*
Key.fromSecret('s', 'ES256');
const remote = RemoteKeySet.fromIssuer('https://idp.example', { cooldownDuration: 30_000, maxStaleness: 600_000 });
const remoteResult: Promise<VerifyResult> = remote.verify(token, { algorithms: ['RS256'], issuer: 'https://idp.example' });
const remoteKeys: Promise<KeySet> = new RemoteKeySet('https://idp.example/jwks').keys();
console.log(remoteResult, remoteKeys);
// @ts-expect-error the options are milliseconds, by jose's names
new RemoteKeySet('https://idp.example/jwks', { cacheMaxAgeSeconds: 1 });
const loading: Promise<void> = loadP521();
