// Browser entry: call `await init()` once before anything else; it fetches
// `web/edgeauth_bg.wasm` next to this file (or the URL, Response or module
// given). ES512 in the synchronous calls needs the separate P-521 module
// (`p521/edgeauth_p521_bg.wasm`; WebCrypto's P-521 is asynchronous), loaded
// only when asked for: `init(input, { p521: true })` or `await loadP521()`.
import initWasm, * as wasm from './web/edgeauth.js';
import initP521, * as p521 from './p521/edgeauth_p521.js';
import { bind, EdgeAuthError, installP521 } from './api.mjs';
import * as host from './host-web.mjs';

export { EdgeAuthError };
export const { Key, KeySet, RemoteKeySet, Verifier, StoredSecrets, sign, signAsync, verify, verifyAsync, decode, parseBearer, parseBasic, generateApiKey, hashSecret, verifySecret, wasmMemoryBytes } = bind(wasm, host);

const given = (source) => (source === undefined || source === true ? undefined : { module_or_path: source });
let ready;
let p521Ready;

/** Fetches and instantiates the wasm; `p521` (true, or where the P-521 module is) loads that too. */
export async function init(input, { p521: p521Input } = {}) {
  ready ??= initWasm(given(input));
  await Promise.all([ready, p521Input === undefined || p521Input === false ? undefined : loadP521(p521Input)]);
}

/** Loads the P-521 module (from `input`, else next to this file), once; ES512 keys work after it. */
export function loadP521(input) {
  if (ready === undefined) return Promise.reject(new Error('call init() before loadP521()'));
  p521Ready ??= Promise.all([ready, initP521(given(input))]).then(() => installP521(wasm, p521));
  return p521Ready;
}
