// The two gateways the Worker benchmarks compare, served by Miniflare's API
// (which drives workerd directly, with no wrangler proxy in front): the
// edgeauth Worker from build/, and the jose peer from bench/peer/worker.mjs,
// both forwarding to the same loopback origin, and the wrk load that
// measures them. Shared by worker-load.mjs, revocation.mjs and
// profile-gateway.mjs.
import { createServer } from 'node:http';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes, createHash } from 'node:crypto';
import { Miniflare } from 'miniflare';
import { Key, KeySet, sign } from 'edgeauth';
import { SMOKE } from './harness.mjs';

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

/** One token per benchmarked algorithm, accepted by both gateways. */
export const tokens = {
  HS256: sign({ sub: 'load' }, Key.fromSecret(HS_SECRET, 'HS256'), { issuer: `${ISSUER}-hs`, audience: 'bench', expiresIn: 3600 }),
  ES256: sign({ sub: 'load' }, esKey, { issuer: `${ISSUER}-es`, audience: 'bench', expiresIn: 3600 }),
};

export const SECONDS = SMOKE ? 1 : 8;
export const WARM_UP_SECONDS = SMOKE ? 1 : 3;
export const CONNECTIONS = 32;

/** wrk against `url` with `token`, each connection waiting `paceMs` before
 * each request when given: requests/s and latency percentiles in ms. Async,
 * so this process keeps serving the echo origin meanwhile. */
export async function load(url, token, { seconds = SECONDS, paceMs, header } = {}) {
  const pacing = paceMs ? ['-s', new URL('./paced.lua', import.meta.url).pathname] : [];
  const interval = paceMs ? ['--', String(paceMs)] : [];
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', ...pacing, '-H', header ?? `Authorization: Bearer ${token}`, url, ...interval];
  const { stdout: out } = await promisify(execFile)('wrk', args, { encoding: 'utf8' });
  const ms = (label) => {
    const match = out.match(new RegExp(`^\\s+${label}%\\s+([\\d.]+)(us|ms|s)`, 'm'));
    if (!match) return undefined;
    return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]];
  };
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  if (non2xx > 0) throw new Error(`${url}: ${non2xx} failed requests\n${out}`);
  return { rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]), p50: ms('50'), p90: ms('90'), p99: ms('99') };
}

/** Each figure's median over the rounds. */
export function median(runs) {
  const middle = (values) => {
    const sorted = values.sort((a, b) => a - b);
    const half = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
  };
  return Object.fromEntries(Object.keys(runs[0]).map((key) => [key, middle(runs.map((run) => run[key]))]));
}

const common = { host: '127.0.0.1', port: 0, modules: true, compatibilityDate: '2025-12-01' };

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

/** The jose peer Worker, bundled first with esbuild. */
export function peerWorker(origin, options = {}) {
  execFileSync(`${ROOT}node_modules/esbuild/bin/esbuild`, ['bench/peer/worker.mjs', '--bundle', '--format=esm',
    '--platform=neutral', '--conditions=workerd,worker,browser', '--outfile=build/bench-peer.mjs', '--log-level=warning'], { cwd: ROOT });
  return new Miniflare({
    ...common, ...options,
    scriptPath: `${ROOT}build/bench-peer.mjs`,
    bindings: { HS256_SECRET: HS_SECRET, ES256_JWK: JSON.stringify(esKey.toJwk()), AUDIENCE: 'bench', ISSUER_HS: `${ISSUER}-hs`, ISSUER_ES: `${ISSUER}-es`, ORIGIN_URL: origin },
  });
}
