// A plain fetch Worker using the edgeauth package, no framework: a small
// token issuer and the API it protects. `POST /token` exchanges an API key
// (X-API-Key, checked against API_KEY_HASHES) for a 5-minute ES256 token
// signed with SIGNING_JWK; `GET /.well-known/jwks.json` publishes the public
// key; `GET /api/hello` needs such a token. The Verifier and StoredSecrets
// live for the isolate, so a token or key seen before costs no second check.
import { EdgeAuthError, Key, KeySet, StoredSecrets, Verifier, parseBearer, sign } from 'edgeauth';

let state;

/** What the isolate keeps across requests, made from env at the first one. */
function setUp(env) {
  const signing = Key.fromJwk(env.SIGNING_JWK);
  const jwks = new KeySet().add(signing).toJwks();
  const verifier = new Verifier(new KeySet(jwks), { algorithms: ['ES256'], issuer: env.ISSUER, audience: 'api' });
  const keys = new StoredSecrets({ clients: env.API_KEY_HASHES.split(',') });
  return { signing, jwks, verifier, keys };
}

function refused(code) {
  // The code is for the log; the client learns only that it was refused.
  console.log(`refused: ${code}`);
  return Response.json({ error: 'invalid_token' }, { status: 401, headers: { 'www-authenticate': 'Bearer realm="example", error="invalid_token"' } });
}

async function token(request, env) {
  if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } });
  const key = request.headers.get('x-api-key');
  if (key === null || !(await state.keys.verify('clients', key))) {
    return refused('ERR_CREDENTIAL_REJECTED');
  }
  const issued = sign({ sub: 'client' }, state.signing, { issuer: env.ISSUER, audience: 'api', expiresIn: 300 });
  return Response.json({ token: issued, expires_in: 300 });
}

async function hello(request) {
  const authorization = request.headers.get('authorization');
  if (authorization === null) return Response.json({ error: 'invalid_token' }, { status: 401, headers: { 'www-authenticate': 'Bearer realm="example"' } });
  try {
    const { payload } = await state.verifier.verifyAsync(parseBearer(authorization));
    return Response.json({ hello: payload.sub, expires: payload.exp });
  } catch (error) {
    if (error instanceof EdgeAuthError) return refused(error.code);
    throw error;
  }
}

export default {
  async fetch(request, env) {
    state ??= setUp(env);
    const { pathname } = new URL(request.url);
    if (pathname === '/') return new Response('edgeauth fetch Worker example: POST /token, GET /api/hello\n');
    if (pathname === '/token') return token(request, env);
    if (pathname === '/.well-known/jwks.json') return Response.json(state.jwks, { headers: { 'cache-control': 'public, max-age=300' } });
    if (pathname === '/api/hello') return hello(request);
    return new Response('not found', { status: 404 });
  },
};
