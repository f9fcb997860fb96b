// A Hono Worker protected by edgeauth/hono: public `/`, `/api/*` for a
// bearer JWT (HS256, from JWT_SECRET) or an API key (X-API-Key, checked
// against API_KEY_HASHES), `/admin/*` for a JWT with the `admin` scope.
// `c.get('auth')` says who called. Secrets come from env at the first
// request; the middleware is made once, here, so what it remembers lasts.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { Key } from 'edgeauth';
import { anyOf, apiKeyAuth, jwtAuth } from 'edgeauth/hono';

const app = new Hono();

const jwt = (options = {}) => jwtAuth({
  keys: (env) => Key.fromSecret(env.JWT_SECRET, 'HS256'),
  algorithms: ['HS256'],
  issuer: 'https://auth.example.test',
  audience: 'api',
  ...options,
});

app.get('/', (c) => c.text('edgeauth + Hono example: try /api/me with a token or an API key\n'));

app.use('/api/*', anyOf(jwt(), apiKeyAuth({ hashes: (env) => env.API_KEY_HASHES.split(','), name: 'partners' })));
app.get('/api/me', (c) => c.json(c.get('auth')));

app.use('/admin/*', jwt({ scopes: ['admin'] }));
app.get('/admin/stats', (c) => c.json({ admin: c.get('auth').subject, requests: 42 }));

// Refusals arrive as HTTPExceptions carrying the answer; their cause (the
// EdgeAuthError) is for the log only, never for the client.
app.onError((error, c) => {
  if (!(error instanceof HTTPException)) return c.text('internal error', 500);
  if (error.cause) console.log(`edgeauth refused a credential: ${error.cause.code}`);
  return error.getResponse();
});

export default app;
