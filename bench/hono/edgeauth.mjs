// The benchmark's Hono app with edgeauth/hono: remembering verified tokens
// per isolate (the default) on /hs and /es, and checking every request
// again (`cache: false`) on /hs-uncached and /es-uncached.
import { Key } from 'edgeauth';
import { jwtAuth } from 'edgeauth/hono';
import { benchApp } from './app.mjs';

const hs = (cache) => (env) => jwtAuth({ keys: Key.fromSecret(env.HS256_SECRET, 'HS256'), algorithms: ['HS256'], issuer: env.ISSUER_HS, audience: env.AUDIENCE, cache });
const es = (cache) => (env) => jwtAuth({ jwks: { keys: [JSON.parse(env.ES256_JWK)] }, algorithms: ['ES256'], issuer: env.ISSUER_ES, audience: env.AUDIENCE, cache });

export default benchApp({
  routes: { '/hs': hs(true), '/es': es(true), '/hs-uncached': hs(false), '/es-uncached': es(false) },
  subject: (c) => c.get('auth').subject,
});
