// Cold start in Node: a fresh process imports the library and verifies its
// first token; the time from before the import to the verified result, median
// of several processes, for edgeauth and for jose.
import { execFileSync } from 'node:child_process';
import { report, SMOKE } from './harness.mjs';

const RUNS = SMOKE ? 2 : 15;
const SECRET = 'a'.repeat(32);

const edgeauthScript = `
  const t0 = performance.now();
  const { Key, sign, verify } = await import('edgeauth');
  const key = Key.fromSecret(${JSON.stringify(SECRET)}, 'HS256');
  verify(sign({ sub: 'x' }, key, { expiresIn: 60 }), key, { algorithms: ['HS256'] });
  console.log(performance.now() - t0);`;

const joseScript = `
  const t0 = performance.now();
  const jose = await import('jose');
  const key = new TextEncoder().encode(${JSON.stringify(SECRET)});
  const token = await new jose.SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1m').sign(key);
  await jose.jwtVerify(token, key, { algorithms: ['HS256'] });
  console.log(performance.now() - t0);`;

function median(script) {
  const cwd = new URL('..', import.meta.url).pathname;
  const times = Array.from({ length: RUNS }, () =>
    Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' })));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

report('coldstart', 'Cold start: import and verify a first HS256 token (ms, median)', [
  { name: 'edgeauth', ms: median(edgeauthScript) },
  { name: 'jose', ms: median(joseScript) },
], ['ms']);
