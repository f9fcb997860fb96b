//! `Key` and `KeySet` handles for JS.

use super::error::{IntoJs, JsResult};
use super::options::algorithm;
use crate::{Key, KeySet};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// A key handle (the package's `Key` wraps it).
#[wasm_bindgen(js_name = WasmKey)]
pub struct JsKey(pub(super) Key);

#[wasm_bindgen(js_class = WasmKey)]
impl JsKey {
    #[wasm_bindgen(js_name = fromJwk)]
    pub fn from_jwk(jwk: &str) -> JsResult<JsKey> {
        Key::from_jwk_str(jwk).js().map(JsKey)
    }

    #[wasm_bindgen(js_name = fromPem)]
    pub fn from_pem(pem: &str, alg: &str, kid: Option<String>) -> JsResult<JsKey> {
        Key::from_pem(pem, algorithm(alg)?, kid.as_deref()).js().map(JsKey)
    }

    #[wasm_bindgen(js_name = fromSecret)]
    pub fn from_secret(secret: &[u8], alg: &str, kid: Option<String>) -> JsResult<JsKey> {
        Key::from_secret(secret, algorithm(alg)?, kid.as_deref()).js().map(JsKey)
    }

    pub fn generate(alg: &str, kid: Option<String>) -> JsResult<JsKey> {
        Key::generate(algorithm(alg)?, kid.as_deref()).js().map(JsKey)
    }

    #[wasm_bindgen(getter)]
    pub fn alg(&self) -> Option<String> {
        self.0.alg().map(|alg| alg.name().to_owned())
    }

    #[wasm_bindgen(getter)]
    pub fn kid(&self) -> Option<String> {
        self.0.kid().map(str::to_owned)
    }

    #[wasm_bindgen(getter)]
    pub fn kty(&self) -> String {
        self.0.kty().to_owned()
    }

    #[wasm_bindgen(getter, js_name = isPrivate)]
    pub fn is_private(&self) -> bool {
        self.0.is_private()
    }

    /// The JWK as JSON text.
    #[wasm_bindgen(js_name = toJwk)]
    pub fn to_jwk(&self, include_private: bool) -> JsResult<String> {
        self.0.to_jwk(include_private).js().map(|jwk| Value::Object(jwk).to_string())
    }

    pub fn thumbprint(&self) -> String {
        self.0.thumbprint()
    }
}

/// A key set handle (the package's `KeySet` wraps it).
#[wasm_bindgen(js_name = WasmKeySet)]
pub struct JsKeySet(pub(super) KeySet);

#[wasm_bindgen(js_class = WasmKeySet)]
impl JsKeySet {
    /// A key set from a JWK Set document in JSON text, or an empty one.
    #[wasm_bindgen(constructor)]
    pub fn new(jwks: Option<String>) -> JsResult<JsKeySet> {
        match jwks {
            Some(jwks) => KeySet::from_jwks_str(&jwks).js().map(JsKeySet),
            None => Ok(JsKeySet(KeySet::new())),
        }
    }

    pub fn add(&mut self, key: &JsKey) {
        self.0.add(key.0.clone());
    }

    pub fn remove(&mut self, kid: &str) -> bool {
        self.0.remove(kid)
    }

    pub fn get(&self, kid: &str) -> Option<JsKey> {
        self.0.get(kid).cloned().map(JsKey)
    }

    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.0.len()
    }

    /// The public JWK Set as JSON text.
    #[wasm_bindgen(js_name = toJwks)]
    pub fn to_jwks(&self) -> String {
        Value::Object(self.0.to_public_jwks()).to_string()
    }
}
