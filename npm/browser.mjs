// Browser entry: call `await init()` once before anything else; it fetches
// `web/edgeauth_bg.wasm` next to this file (or the URL, Response or module
// given), and the separate P-521 module `p521/edgeauth_p521_bg.wasm` (or
// `p521Input`) for ES512 in the synchronous calls: WebCrypto's is asynchronous.
import initWasm, * as wasm from './web/edgeauth.js';
import initP521, * as p521 from './p521/edgeauth_p521.js';
import { bind, EdgeAuthError } from './api.mjs';
import * as host from './host-web.mjs';

export { EdgeAuthError };
export const { Key, KeySet, RemoteKeySet, Verifier, StoredSecrets, sign, signAsync, verify, verifyAsync, decode, parseBearer, parseBasic, generateApiKey, hashSecret, verifySecret, wasmMemoryBytes } = bind(wasm, host);
export async function init(input, p521Input) {
  const given = (source) => (source === undefined ? undefined : { module_or_path: source });
  await Promise.all([initWasm(given(input)), initP521(given(p521Input))]);
  wasm.setP521(p521);
}
