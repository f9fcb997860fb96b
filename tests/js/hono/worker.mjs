// The Hono app the middleware tests run in workerd (tests/js/hono.test.mjs):
// each route behind one of edgeauth/hono's middlewares, with its keys and
// hashes from the Worker's env as a deployed app would have them, answering
// with what c.get('auth') holds.
import { Hono } from 'hono';
import { Key, RemoteKeySet } from 'edgeauth';
import { anyOf, apiKeyAuth, basicAuth, jwtAuth } from 'edgeauth/hono';

const hmac = (env) => Key.fromSecret(env.HS_SECRET, 'HS256');
const es = (env) => JSON.parse(env.ES_JWKS);
const partners = (env) => env.KEY_HASHES.split(',');

const app = new Hono();
const show = (c) => c.json(c.get('auth'));

app.get('/hs', jwtAuth({ keys: hmac, algorithms: ['HS256'], issuer: 'https://issuer.test', audience: 'api' }), show);
app.get('/hs-uncached', jwtAuth({ keys: hmac, algorithms: ['HS256'], issuer: 'https://issuer.test', audience: 'api', cache: false }), show);
app.get('/es', jwtAuth({ jwks: es, algorithms: ['ES256'], scopes: ['read'] }), show);
app.get('/remote', jwtAuth({ remote: (env) => new RemoteKeySet(env.JWKS_URL), algorithms: ['ES256'] }), show);
app.get('/remote-down', jwtAuth({ remote: (env) => new RemoteKeySet(env.DOWN_URL, { timeoutDuration: 2000 }), algorithms: ['ES256'] }), show);
app.get('/key', apiKeyAuth({ hashes: partners, name: 'partners' }), show);
app.get('/basic', basicAuth({ users: (env) => JSON.parse(env.BASIC_USERS), realm: 'ops' }), show);
app.get('/broken', basicAuth({ users: (env) => ({ admin: env.BROKEN_HASH }) }), show);
// Moose's chain: the JWT first, then the same Bearer value as a key.
app.get('/any', anyOf(jwtAuth({ jwks: es, algorithms: ['ES256'] }), apiKeyAuth({ hashes: partners, header: 'Authorization', name: 'partners' })), show);
app.get('/any-basic', anyOf(basicAuth({ users: (env) => JSON.parse(env.BASIC_USERS) }), jwtAuth({ keys: hmac, algorithms: ['HS256'] })), show);
app.get('/any-down', anyOf(jwtAuth({ remote: (env) => new RemoteKeySet(env.DOWN_URL), algorithms: ['ES256'] }), apiKeyAuth({ hashes: partners })), show);
app.get('/', (c) => c.text('ok'));

export default app;
