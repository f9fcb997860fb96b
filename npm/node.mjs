// Node.js entry: the wasm is read and instantiated synchronously on import.
// P-521 (ES512) comes from node:crypto (p521-node.mjs), not from wasm.
import * as wasm from './node/edgeauth.js';
import { bind, EdgeAuthError, installP521 } from './api.mjs';
import * as host from './host-node.mjs';
import * as p521 from './p521-node.mjs';

installP521(wasm, p521);

export { EdgeAuthError };
export const { Key, KeySet, RemoteKeySet, Verifier, StoredSecrets, sign, signAsync, verify, verifyAsync, decode, parseBearer, parseBasic, generateApiKey, hashSecret, verifySecret, wasmMemoryBytes } = bind(wasm, host);
/** Nothing to do in Node: the module is ready on import. */
export async function init() {}
/** Nothing to do in Node: P-521 comes from node:crypto. */
export async function loadP521() {}
