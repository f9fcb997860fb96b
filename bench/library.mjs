// edgeauth (wasm, through the npm package's Node entry) beside jose in one
// Node process, on the rows every host runs (rows.mjs), with the native Rust
// figures from bench/results/native.json (written by `cargo bench --bench
// native`) for the wasm/native ratio. In Node the package signs and checks
// signatures through node:crypto synchronously where it can (npm/host-node.mjs),
// in the async functions too; library-chromium.mjs and library-workerd.mjs
// measure the WebCrypto path (verifyAsync, signAsync) of browsers and Workers.
// Run by `make bench`; `BENCH_SMOKE=1` for a quick pass.
import { readFileSync, existsSync } from 'node:fs';
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as jose from 'jose';
import * as edgeauth from 'edgeauth';
import { BUDGET_MS, measure, report } from './harness.mjs';
import { benchRows } from './rows.mjs';
import { runRowsHere } from './rows-run.mjs';

const RSA_PEM = readFileSync(new URL('../tests/data/rsa2048.pkcs8.pem', import.meta.url), 'utf8');
const NATIVE = new URL('./results/native.json', import.meta.url);

/** API-key check: edgeauth's verifySecret against the same HMAC check in node:crypto (Node only: no jose counterpart). */
async function apiKeyRow() {
  const { token, hash } = edgeauth.generateApiKey();
  const salt = Buffer.from('0123456789abcdef');
  const stored = createHmac('sha256', salt).update(token).digest();
  const edge = await measure(() => edgeauth.verifySecret(token, hash));
  const node = await measure(() => timingSafeEqual(createHmac('sha256', salt).update(token).digest(), stored));
  return { name: 'api key (hmac-sha256 hash)', edgeauth: edge, jose: node, 'edgeauth/jose': edge / node, note: 'vs node:crypto' };
}

function withNative(rows) {
  const native = existsSync(NATIVE) ? JSON.parse(readFileSync(NATIVE, 'utf8')) : [];
  return rows.map((row) => {
    const nativeOps = native.find((n) => n.name === row.name)?.ops_per_sec;
    const ratio = nativeOps && typeof row.edgeauth === 'number' ? row.edgeauth / nativeOps : undefined;
    return { ...row, native: nativeOps, 'wasm/native': ratio };
  });
}

const rows = await runRowsHere(benchRows({ edgeauth, jose, rsaPem: RSA_PEM, syncVerify: true }), BUDGET_MS);
rows.push(await apiKeyRow());
report('library', 'edgeauth (wasm) vs jose, ops/s, one Node process', withNative(rows),
  ['edgeauth', 'jose', 'edgeauth/jose', 'native', 'wasm/native', 'note']);
