// The benchmark's Hono app with Hono's own middleware: hono/jwt for HS256,
// hono/jwk for ES256, with the same issuer and audience checks.
import { jwt } from 'hono/jwt';
import { jwk } from 'hono/jwk';
import { benchApp } from './app.mjs';

const verification = (env, iss) => ({ iss, aud: env.AUDIENCE });

export default benchApp({
  routes: {
    '/hs': (env) => jwt({ secret: env.HS256_SECRET, alg: 'HS256', verification: verification(env, env.ISSUER_HS) }),
    '/es': (env) => jwk({ keys: [JSON.parse(env.ES256_JWK)], alg: ['ES256'], verification: verification(env, env.ISSUER_ES) }),
  },
  subject: (c) => c.get('jwtPayload').sub,
});
