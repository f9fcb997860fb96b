// The jose peer Worker for the load benchmark: the same check as edgeauth's
// gateway (a bearer JWT, HS256 against a secret or ES256 against a JWK, with
// issuer and audience), then the same forward to the same echo origin.
import * as jose from 'jose';

let keys;

async function keyFor(env) {
  keys ??= {
    HS256: new TextEncoder().encode(env.HS256_SECRET),
    ES256: await jose.importJWK(JSON.parse(env.ES256_JWK), 'ES256'),
  };
  return keys;
}

export default {
  async fetch(request, env) {
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(request.headers.get('authorization') ?? '');
    if (!match) return Response.json({ error: 'invalid_token' }, { status: 401 });
    const token = match[1];
    try {
      const { alg } = jose.decodeProtectedHeader(token);
      const key = (await keyFor(env))[alg];
      if (!key) throw new Error('unsupported alg');
      const issuer = alg === 'HS256' ? env.ISSUER_HS : env.ISSUER_ES;
      const { payload } = await jose.jwtVerify(token, key, { algorithms: [alg], issuer, audience: env.AUDIENCE });
      const headers = new Headers(request.headers);
      headers.delete('authorization');
      headers.set('x-auth-method', 'jwt');
      headers.set('x-auth-subject', String(payload.sub ?? ''));
      const url = new URL(request.url);
      return fetch(env.ORIGIN_URL + url.pathname + url.search, { method: request.method, headers });
    } catch {
      return Response.json({ error: 'invalid_token' }, { status: 401 });
    }
  },
};
