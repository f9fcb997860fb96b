// wrk as the Worker benchmarks drive it: one load of a URL with a bearer
// token (saturated, paced by bench/paced.lua, or with a script of its own
// such as bench/tokens.lua), and several Workers loaded in turns over
// rounds, each figure the median of its rounds. Shared by worker-load.mjs
// (the gateway beside jose and a passthrough), revocation.mjs (exact API-key
// revocation's cost), hono-load.mjs (Hono apps) and soak.mjs (memory).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { SMOKE } from './harness.mjs';

export const SECONDS = SMOKE ? 1 : 8;
export const WARM_UP_SECONDS = SMOKE ? 1 : 3;
export const CONNECTIONS = 32;
// Tail latency on this 2-core machine drifts up over the minutes of a run,
// whichever Worker is loaded (p99 doubled in 80 s in one run), so one run
// each favours the Worker measured first. The Workers take turns going first
// (AB BA AB BA), which cancels the drift, and each figure is the median of
// its rounds.
export const ROUNDS = SMOKE ? 1 : 4;
export const THREADS = 2;

/** wrk's argument for `script` (a file of bench/) and what follows `--`, or for `paceMs`'s paced.lua. */
function scriptArgs(script, paceMs) {
  const lua = script ?? (paceMs ? { name: 'paced.lua', args: [String(paceMs)] } : undefined);
  if (!lua) return { before: [], after: [] };
  return { before: ['-s', new URL(`./${lua.name}`, import.meta.url).pathname], after: ['--', ...lua.args] };
}

/** CPU time `pid` has used (all its threads), in microseconds. */
function cpuMicroseconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 1e6 / 100; // utime + stime, in USER_HZ (100 on Linux)
}

/** wrk against `url` with `token` (or `header`, or neither when `script`
 * sets its own), each connection waiting `paceMs` before each request when
 * given: requests/s, requests in all and latency percentiles in ms; with
 * `pid` (the workerd serving `url`), its CPU microseconds per request. Async,
 * so this process keeps serving a loopback origin meanwhile. */
export async function load(url, token, { seconds = SECONDS, paceMs, header, script, pid } = {}) {
  const cpuBefore = pid && cpuMicroseconds(pid);
  const { before, after } = scriptArgs(script, paceMs);
  const credential = header ?? (token ? `Authorization: Bearer ${token}` : undefined);
  const headers = credential ? ['-H', credential] : [];
  const args = [`-t${THREADS}`, `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', ...before, ...headers, url, ...after];
  const { stdout: out } = await promisify(execFile)('wrk', args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const ms = (label) => {
    const match = out.match(new RegExp(`^\\s+${label}%\\s+([\\d.]+)(us|ms|s)`, 'm'));
    if (!match) return undefined;
    return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]];
  };
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  if (non2xx > 0) throw new Error(`${url}: ${non2xx} failed requests\n${out}`);
  const requests = Number(out.match(/(\d+) requests in/)[1]);
  const cpu = pid ? { cpuPerRequest: (cpuMicroseconds(pid) - cpuBefore) / requests } : {};
  return { rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]), requests, p50: ms('50'), p90: ms('90'), p99: ms('99'), ...cpu, out };
}

/** Each figure's median over the rounds (wrk's output left out). */
function median(runs) {
  const middle = (values) => {
    const sorted = values.sort((a, b) => a - b);
    const half = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
  };
  const figures = Object.keys(runs[0]).filter((key) => typeof runs[0][key] === 'number');
  return Object.fromEntries(figures.map((key) => [key, middle(runs.map((run) => run[key]))]));
}

/** A target as `compare` takes it: a URL, or { url, header, pid }. */
const targetOf = (target) => (typeof target === 'string' ? { url: target } : target);

/** A warm-up load of each URL, so none is measured while V8 still compiles its hot code (wasm tier-up, JS optimisation). */
export async function warmUp(targets, token) {
  for (const target of Object.values(targets)) {
    const { url, header } = targetOf(target);
    await load(url, token, { seconds: WARM_UP_SECONDS, header });
  }
}

/** `targets` ({ name: url }, or { name: { url, header, pid } } for a
 * target with a credential of its own, or whose workerd's CPU to measure)
 * loaded in turns for ROUNDS rounds, the order reversed every other round:
 * { name: medians }. */
export async function compare(targets, token, options) {
  const runs = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = Object.entries(targets);
    if (round % 2 === 1) order.reverse();
    for (const [name, target] of order) {
      const { url, header, pid } = targetOf(target);
      runs[name].push(await load(url, token, { ...options, header, pid }));
    }
  }
  return Object.fromEntries(Object.entries(runs).map(([name, rounds]) => [name, median(rounds)]));
}
