// Browser entry: call `await init()` once before anything else; it fetches
// `web/edgeauth_bg.wasm` next to this file (or the URL, Response or module given).
import initWasm, * as wasm from './web/edgeauth.js';
import { bind, EdgeAuthError } from './api.mjs';
import * as host from './host-web.mjs';

export { EdgeAuthError };
export const { Key, KeySet, RemoteKeySet, Verifier, StoredSecrets, sign, signAsync, verify, verifyAsync, decode, parseBearer, parseBasic, generateApiKey, hashSecret, verifySecret, wasmMemoryBytes } = bind(wasm, host);
export async function init(input) {
  await initWasm(input === undefined ? undefined : { module_or_path: input });
}
