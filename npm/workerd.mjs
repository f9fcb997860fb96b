// Cloudflare Workers entry: wrangler bundles the .wasm files as
// WebAssembly.Modules, instantiated synchronously here, so no init() is
// needed. P-521 (ES512) for the synchronous calls comes from the separate
// P-521 module: WebCrypto's is asynchronous.
import module from './web/edgeauth_bg.wasm';
import p521Module from './p521/edgeauth_p521_bg.wasm';
import { initSync } from './web/edgeauth.js';
import * as wasm from './web/edgeauth.js';
import { initSync as initP521 } from './p521/edgeauth_p521.js';
import * as p521 from './p521/edgeauth_p521.js';
import { bind, EdgeAuthError } from './api.mjs';
import * as host from './host-web.mjs';

initSync({ module });
initP521({ module: p521Module });
wasm.setP521(p521);

export { EdgeAuthError };
export const { Key, KeySet, RemoteKeySet, Verifier, StoredSecrets, sign, signAsync, verify, verifyAsync, decode, parseBearer, parseBasic, generateApiKey, hashSecret, verifySecret, wasmMemoryBytes } = bind(wasm, host);
export async function init() {}
