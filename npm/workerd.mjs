// Cloudflare Workers entry: wrangler bundles the .wasm files as
// WebAssembly.Modules, instantiated synchronously here, so no init() is
// needed. ES512 in the synchronous calls comes from the separate P-521
// module (WebCrypto's P-521 is asynchronous), instantiated on the first
// ES512 use: a Worker that never meets one never pays for it.
import module from './web/edgeauth_bg.wasm';
import p521Module from './p521/edgeauth_p521_bg.wasm';
import { initSync } from './web/edgeauth.js';
import * as wasm from './web/edgeauth.js';
import { initSync as initP521 } from './p521/edgeauth_p521.js';
import * as p521 from './p521/edgeauth_p521.js';
import { bind, EdgeAuthError, installP521 } from './api.mjs';
import * as host from './host-web.mjs';

initSync({ module });

let p521Instantiated = false;
/** The P-521 module's `operation`, instantiating the module first if no call has yet. */
const onFirstUse = (operation) => (...args) => {
  if (!p521Instantiated) {
    initP521({ module: p521Module });
    p521Instantiated = true;
  }
  return p521[operation](...args);
};
installP521(wasm, Object.fromEntries(['checkPoint', 'publicPoint', 'sign', 'verify'].map((operation) => [operation, onFirstUse(operation)])));

export { EdgeAuthError };
export const { Key, KeySet, RemoteKeySet, Verifier, StoredSecrets, sign, signAsync, verify, verifyAsync, decode, parseBearer, parseBasic, generateApiKey, hashSecret, verifySecret, wasmMemoryBytes } = bind(wasm, host);
export async function init() {}
/** Nothing to do in Workers: the P-521 module is instantiated on first use. */
export async function loadP521() {}
