// A local identity provider for the remote key set tests (the package's and
// the Worker's): node http on 127.0.0.1, started and stopped by the tests.
// Each path is a route the test sets up: what it answers, and how often it
// was asked.
import { createServer } from 'node:http';

/**
 * Starts the server. `route(path, handler)` sets what `path` answers:
 * `handler(request, response)` as for node http, or a plain object
 * `{ status = 200, headers = {}, body }` (body: an object is JSON, a string as is).
 * `fetches(path)` counts requests to it (also those refused or cut off).
 * Unrouted paths are 404. `close()` stops it, cutting open connections.
 */
export async function startJwksServer() {
  const routes = new Map();
  const counts = new Map();
  const sockets = new Set();
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const handler = routes.get(path);
    if (handler === undefined) return response.writeHead(404).end();
    if (typeof handler === 'function') return handler(request, response);
    const { status = 200, headers = {}, body = '' } = handler;
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    url: (path) => `${base}${path}`,
    route: (path, handler) => routes.set(path, handler),
    fetches: (path) => counts.get(path) ?? 0,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A handler that cuts the connection: the provider is down. */
export const down = (request) => request.socket.destroy();

/** A handler that answers after `ms`. */
export const slow = (ms, answer) => (request, response) => {
  const timer = setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)), ms);
  response.on('close', () => clearTimeout(timer));
};

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
