//! `sign` in two steps for JS hosts with native signature code: the core
//! makes the signing input (header and claims, checked as for signing in one
//! step); the package's wrapper has the host's crypto (Node's `crypto.sign`,
//! WebCrypto) sign it with the key, imported once per key; the signature
//! then completes the token. Where the host cannot sign, wasm does.

use super::error::{IntoJs, JsResult};
use super::host;
use super::jwt::claims;
use super::keys::JsKey;
use super::options;
use crate::{jws, Algorithm, Key};
use wasm_bindgen::prelude::*;

/// A token waiting for its signature. `finish` and `signHere` consume it.
#[wasm_bindgen(js_name = WasmSigning)]
pub struct JsSigning {
    input: String,
    alg: Algorithm,
    key: Key,
}

#[wasm_bindgen(js_class = WasmSigning)]
impl JsSigning {
    #[wasm_bindgen(constructor)]
    pub fn new(payload: &str, key: &JsKey, options: &str) -> JsResult<JsSigning> {
        let (input, alg) = options::mint(options)?.signing_input(&claims(payload)?, &key.0).js()?;
        Ok(JsSigning { input, alg, key: key.0.clone() })
    }

    /// The algorithm, when the host should compute the signature
    /// (`host::computes`); `undefined` when wasm signs (`signHere`).
    #[wasm_bindgen(getter, js_name = hostAlg)]
    pub fn host_alg(&self) -> Option<String> {
        host::computes(self.alg).then(|| self.alg.name().to_owned())
    }

    /// The bytes to sign: `header.payload`.
    #[wasm_bindgen(getter)]
    pub fn input(&self) -> Vec<u8> {
        self.input.as_bytes().to_vec()
    }

    /// The private JWK the host imports to sign, with only the members it reads.
    #[wasm_bindgen(js_name = privateJwk)]
    pub fn private_jwk(&self) -> JsResult<String> {
        host::jwk(&self.key, true)
    }

    /// The token, from the host's signature over `input`; a signature of
    /// the wrong length is no signature, and wasm signs instead.
    pub fn finish(self, signature: &[u8]) -> JsResult<String> {
        match jws::fits_signature(&self.key, self.alg, signature) {
            true => Ok(jws::assemble(&self.input, signature)),
            false => self.sign_here(),
        }
    }

    /// The token, signed here in wasm.
    #[wasm_bindgen(js_name = signHere)]
    pub fn sign_here(self) -> JsResult<String> {
        let signature = jws::signature(&self.key, self.input.as_bytes()).js()?;
        Ok(jws::assemble(&self.input, &signature))
    }
}
