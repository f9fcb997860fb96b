// Serves the playground: www/ (or the directory given, such as
// examples/browser) at / and the built package at /pkg/, on 127.0.0.1
// (PORT, default 8080; 0 picks a free port and prints it).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const SITE = join(ROOT, process.argv[2] ?? 'www');
const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };

function fileFor(pathname) {
  const path = normalize(decodeURIComponent(pathname));
  if (path.includes('..')) return null;
  if (path.startsWith('/pkg/')) return join(ROOT, path);
  return join(SITE, path === '/' ? 'index.html' : path);
}

const server = createServer(async (request, response) => {
  try {
    const file = fileFor(new URL(request.url, 'http://localhost').pathname);
    if (!file) throw new Error('outside');
    const body = await readFile(file);
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(body);
  } catch {
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  }
});

server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`serving ${SITE} on http://127.0.0.1:${server.address().port}/`);
});
