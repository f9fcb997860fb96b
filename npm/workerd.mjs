// Cloudflare Workers entry: wrangler bundles the .wasm as a WebAssembly.Module,
// instantiated synchronously here, so no init() is needed.
import module from './web/edgeauth_bg.wasm';
import { initSync } from './web/edgeauth.js';
import * as wasm from './web/edgeauth.js';
import { bind, EdgeAuthError } from './api.mjs';
import * as host from './host-web.mjs';

initSync({ module });

export { EdgeAuthError };
export const { Key, KeySet, RemoteKeySet, Verifier, StoredSecrets, sign, signAsync, verify, verifyAsync, decode, parseBearer, parseBasic, generateApiKey, hashSecret, verifySecret, wasmMemoryBytes } = bind(wasm, host);
export async function init() {}
