// Where a gateway's CPU goes under load: a V8 CPU profile taken through
// workerd's inspector while wrk drives it, summed by function.
//
//   node bench/profile-gateway.mjs [edgeauth|jose|passthrough] [HS256|ES256] [rows]
//
// Prints requests/s, busy CPU microseconds per request (samples that are not
// idle), the share of wasm, wasm-bindgen glue and other JS, and the hottest
// functions by self time. Needs `make worker` and `make pkg` first.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inspector } from './inspector.mjs';
import { echoOrigin, edgeauthWorker, passthroughWorker, peerWorker, tokens } from './workers.mjs';

const [which = 'edgeauth', alg = 'HS256', rows = '40'] = process.argv.slice(2);
const INSPECTOR_PORT = 9333;
const SAMPLING_US = 50;
const SECONDS = 8;
const wrk = (url, seconds) => promisify(execFile)('wrk', ['-t2', '-c32', `-d${seconds}s`, '-H', `Authorization: Bearer ${tokens[alg]}`, url]);

function category(frame) {
  if (frame.functionName.startsWith('(')) return frame.functionName;
  if (frame.url.includes('.wasm')) return 'wasm';
  return frame.url.endsWith('index.js') ? 'wasm-bindgen glue' : 'other JS';
}

function summarize(profile, rps) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map();
  const byCategory = new Map();
  for (const id of profile.samples) {
    const frame = nodes.get(id).callFrame;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + 1);
    byCategory.set(category(frame), (byCategory.get(category(frame)) ?? 0) + 1);
  }
  const total = profile.samples.length;
  const share = (count) => `${((100 * count) / total).toFixed(1)}%`;
  const busy = total - (byCategory.get('(idle)') ?? 0);
  console.log(`${which} ${alg}: ${Math.round(rps)} req/s, ${((busy * SAMPLING_US) / (rps * SECONDS)).toFixed(1)} busy us/request`);
  console.log([...byCategory].sort((a, b) => b[1] - a[1]).map(([name, count]) => `${name} ${share(count)}`).join(', '));
  for (const [name, count] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) {
    console.log(`${share(count).padStart(6)}  ${name.slice(0, 130)}`);
  }
}

const origin = await echoOrigin();
const originUrl = `http://127.0.0.1:${origin.address().port}`;
const workers = { edgeauth: edgeauthWorker, jose: peerWorker, passthrough: passthroughWorker };
const worker = workers[which](originUrl, { inspectorPort: INSPECTOR_PORT });
try {
  const url = `${await worker.ready}api/x`;
  await wrk(url, 3); // warm-up: JIT and wasm tier-up happen before the profile
  const { send, close } = await inspector(INSPECTOR_PORT);
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
  await send('Profiler.start');
  const { stdout } = await wrk(url, SECONDS);
  const { profile } = await send('Profiler.stop');
  close();
  summarize(profile, Number(stdout.match(/Requests\/sec:\s+([\d.]+)/)[1]));
} finally {
  await worker.dispose();
  origin.close();
}
