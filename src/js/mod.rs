//! The wasm-bindgen layer of the npm package: translation only.
//!
//! Objects cross the boundary as JSON text (the package's ESM wrapper calls
//! `JSON.stringify` and `JSON.parse`), keys and key sets as handles to the
//! core's [`Key`](crate::Key) and [`KeySet`](crate::KeySet). Failures become a
//! plain JS object `{code, message, claim?, reason?}` that the wrapper turns
//! into an `EdgeAuthError`. Nothing here decides anything about a token.

mod credentials;
mod error;
mod host;
mod jwt;
mod keys;
mod options;
#[cfg(not(feature = "p521"))]
mod p521;
mod pending;
mod remote;
mod signing;

use wasm_bindgen::prelude::wasm_bindgen;

// No panic hook here (the Worker has one): its 0.9 KiB gzip is what the
// 150 KiB budget lacked. Nothing reachable panics; a bug that did would
// surface as a `RuntimeError: unreachable` from the call.

/// The size of the module's linear memory in bytes: lets users and tests see
/// that memory stays flat across many calls.
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> usize {
    core::arch::wasm32::memory_size::<0>() * 65536
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;
