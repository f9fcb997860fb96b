// The Hono app the Hono benchmark loads (bench/hono-load.mjs), one source
// for every middleware compared: `/hs` behind an HS256 check and `/es`
// behind an ES256 one (and whatever other routes a variant adds), each
// answering with the token's subject. Each route's middleware is made from
// the Worker's env once per isolate, the way a Worker holding its secrets in
// bindings sets up its middleware.
import { Hono } from 'hono';

/** `auth.routes`: path to `(env) => middleware`; `auth.subject(c)`: whom the middleware let in. */
export function benchApp(auth) {
  const app = new Hono();
  const route = (path, make) => {
    let middleware;
    app.get(path, (c, next) => (middleware ??= make(c.env))(c, next), (c) => c.json({ sub: auth.subject(c) }));
  };
  for (const [path, make] of Object.entries(auth.routes)) route(path, make);
  return app;
}
