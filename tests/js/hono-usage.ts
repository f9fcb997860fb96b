// Compiled with `tsc --noEmit` to check edgeauth/hono's declarations against Hono's own types.
import { Hono } from 'hono';
import { Key, KeySet, RemoteKeySet, StoredSecrets, Verifier, parseBasic, parseBearer, type VerifyResult } from 'edgeauth';
import { anyOf, apiKeyAuth, basicAuth, jwtAuth, type Auth, type AuthEnv } from 'edgeauth/hono';

type Env = { Bindings: { JWT_SECRET: string; KEY_HASHES: string } } & AuthEnv;
const app = new Hono<Env>();
const jwt = jwtAuth({ keys: (env: Env['Bindings']) => Key.fromSecret(env.JWT_SECRET, 'HS256'), algorithms: ['HS256'], issuer: 'https://issuer', scopes: ['read'] });
const key = apiKeyAuth({ hashes: (env: Env['Bindings']) => env.KEY_HASHES.split(','), header: 'Authorization', name: 'partners' });
app.get('/a', anyOf(jwt, key), (c) => {
  const auth: Auth = c.get('auth');
  if (auth.method === 'jwt') return c.json({ sub: auth.subject, exp: auth.claims.exp, alg: auth.header.alg });
  return c.json({ who: auth.subject });
});
app.get('/b', basicAuth({ users: { alice: '$pbkdf2-sha256$...' }, realm: 'ops' }), (c) => c.text(c.get('auth').subject ?? 'nobody'));
app.get('/c', jwtAuth({ remote: RemoteKeySet.fromIssuer('https://idp.example'), algorithms: ['RS256'] }), (c) => c.text('ok'));
app.get('/d', jwtAuth({ jwks: new KeySet().toJwks(), algorithms: ['ES256'], cache: false }), (c) => c.text('ok'));
// @ts-expect-error exactly one key source
jwtAuth({ keys: Key.generate('ES256'), remote: new RemoteKeySet('https://idp.example/jwks'), algorithms: ['ES256'] });
// @ts-expect-error algorithms is required, as for verify
jwtAuth({ keys: Key.generate('ES256') });
const checked: Promise<boolean> = new StoredSecrets({ alice: 'h', keys: ['a', 'b'] }).verify('alice', 'pw');
const user: string = parseBasic('Basic YTpi').user + parseBearer('Bearer x');
const later: Promise<VerifyResult> = new Verifier(Key.generate('ES256'), { algorithms: ['ES256'] }).verifyAsync('t');
console.log(checked, user, later);
