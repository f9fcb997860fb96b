// The Workers the Worker benchmarks compare, served by Miniflare's API
// (which drives workerd directly, with no wrangler proxy in front): the
// edgeauth Worker from build/, the jose peer from bench/peer/worker.mjs and
// the passthrough from bench/passthrough/worker.mjs, all forwarding to the
// same loopback origin (worker-load.mjs, revocation.mjs, soak.mjs,
// profile-gateway.mjs), and the Hono apps of bench/hono/ (hono-load.mjs).
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { randomBytes, createHash } from 'node:crypto';
import { Miniflare } from 'miniflare';
import { Key, KeySet, sign } from 'edgeauth';

const ROOT = new URL('..', import.meta.url).pathname;
const HS_SECRET = randomBytes(32).toString('base64url');
const esKey = Key.generate('ES256');
const ISSUER = 'bench-issuer';

/** A loopback origin answering every request with a small JSON body. */
export async function echoOrigin() {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ method: request.method, subject: request.headers['x-auth-subject'] ?? null }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** The inode of the socket listening on loopback `port`, from /proc/net/tcp. */
function listeningInode(port) {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const lines = readFileSync('/proc/net/tcp', 'utf8').split('\n').map((line) => line.trim().split(/\s+/));
  return lines.find((fields) => fields[1]?.endsWith(hexPort) && fields[3] === '0A')?.[9];
}

/** The parent pid of process `pid`; undefined once it is gone. */
function parentOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1];
  } catch {
    return undefined;
  }
}

/** Whether process `pid` holds the socket `inode` open. */
function holds(pid, inode) {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`);
  } catch {
    return false;
  }
}

/** A Worker once Miniflare has it ready: its base URL, and the pid of the
 * workerd serving it (a child of this process), whose CPU wrk.mjs reads. */
export async function served(worker) {
  const url = new URL(await worker.ready);
  const inode = listeningInode(Number(url.port));
  const children = readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && parentOf(pid) === String(process.pid));
  return { base: String(url), pid: children.find((pid) => holds(pid, inode)) };
}

/** One token per benchmarked algorithm, accepted by both gateways. */
export const tokens = {
  HS256: sign({ sub: 'load' }, Key.fromSecret(HS_SECRET, 'HS256'), { issuer: `${ISSUER}-hs`, audience: 'bench', expiresIn: 3600 }),
  ES256: sign({ sub: 'load' }, esKey, { issuer: `${ISSUER}-es`, audience: 'bench', expiresIn: 3600 }),
};

/** `count` HS256 tokens the edgeauth gateway accepts, no two alike: each
 * has its own `sub` (`prefix`-n) and a random `jti` (soak.mjs). */
export function freshTokens(count, prefix) {
  const key = Key.fromSecret(HS_SECRET, 'HS256');
  const options = { issuer: `${ISSUER}-hs`, audience: 'bench', expiresIn: 3600, jti: true };
  return Array.from({ length: count }, (_, n) => sign({ sub: `${prefix}-${n}` }, key, options));
}

// logRequests off: Miniflare's entry Worker would re-wrap every response to
// log it, to a log that goes nowhere here.
const common = { host: '127.0.0.1', port: 0, modules: true, compatibilityDate: '2025-12-01', logRequests: false };

/** The bearer token of the edgeauth Worker's admin API. */
export const ADMIN_TOKEN = randomBytes(32).toString('base64url');

/** The edgeauth gateway; `options` adds Miniflare options (an inspector
 * port, say); `keyStatus` binds the per-key Durable Objects that make API-key
 * revocation exact. `/api/` takes JWTs, `/keys/` this Worker's API keys. */
export function edgeauthWorker(origin, options = {}, { keyStatus = false } = {}) {
  const objects = keyStatus ? { durableObjects: { KEY_STATUS: { className: 'KeyStatusObject', useSQLite: true } } } : {};
  const revocation = keyStatus ? {} : { EXACT_REVOCATION: 'false' };
  return new Miniflare({
    ...common, ...objects, ...options,
    scriptPath: `${ROOT}build/worker/index.js`,
    modulesRules: [{ type: 'ESModule', include: ['**/*.js'] }, { type: 'CompiledWasm', include: ['**/*.wasm'] }],
    kvNamespaces: ['EDGEAUTH_KV'],
    bindings: {
      ISSUER: 'http://edgeauth.bench', ALLOWED_AUDIENCES: 'bench', ORIGIN_URL: origin,
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
      ADMIN_TOKEN_HASH: createHash('sha256').update(ADMIN_TOKEN).digest('hex'),
      GATEWAY_POLICY: JSON.stringify([{ prefix: '/api/', auth: ['jwt'] }, { prefix: '/keys/', auth: ['api_key'] }]),
      ...revocation,
      GATEWAY_HMAC_SECRET: HS_SECRET,
      JWT_PROVIDERS: JSON.stringify([
        { type: 'hmac', issuer: `${ISSUER}-hs`, audiences: ['bench'], algorithms: ['HS256'] },
        { type: 'jwks', issuer: `${ISSUER}-es`, audiences: ['bench'], algorithms: ['ES256'], jwks: new KeySet().add(esKey).toJwks() },
      ]),
    },
  });
}

/** `entry` bundled by esbuild for workerd into `outfile`; the package's wasm is copied beside it, still imported as a module. */
export function bundle(entry, outfile) {
  execFileSync(`${ROOT}node_modules/esbuild/bin/esbuild`, [entry, '--bundle', '--format=esm', '--platform=neutral',
    '--conditions=workerd,worker,browser', '--loader:.wasm=copy', `--outfile=${outfile}`, '--log-level=warning'], { cwd: ROOT });
  return `${ROOT}${outfile}`;
}

/** What the peers check tokens against: the same secrets, keys and claims as the edgeauth gateway's. */
const peerBindings = { HS256_SECRET: HS_SECRET, ES256_JWK: JSON.stringify(esKey.toJwk()), AUDIENCE: 'bench', ISSUER_HS: `${ISSUER}-hs`, ISSUER_ES: `${ISSUER}-es` };

/** The jose peer Worker. */
export function peerWorker(origin, options = {}) {
  return new Miniflare({
    ...common, ...options,
    scriptPath: bundle('bench/peer/worker.mjs', 'build/bench-peer.mjs'),
    bindings: { ...peerBindings, ORIGIN_URL: origin },
  });
}

/** The passthrough reference Worker: forwards to `origin` and checks nothing. */
export function passthroughWorker(origin, options = {}) {
  return new Miniflare({ ...common, ...options, scriptPath: `${ROOT}bench/passthrough/worker.mjs`, bindings: { ORIGIN_URL: origin } });
}

/** The Hono app of bench/hono/`name`.mjs, accepting `tokens` on /hs and /es. */
export function honoWorker(name, options = {}) {
  return new Miniflare({
    ...common, ...options,
    scriptPath: bundle(`bench/hono/${name}.mjs`, `build/bench-hono-${name}/index.mjs`),
    modulesRules: [{ type: 'ESModule', include: ['**/*.mjs'] }, { type: 'CompiledWasm', include: ['**/*.wasm'] }],
    bindings: peerBindings,
  });
}
