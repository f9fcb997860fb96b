//! API keys and hashed secrets for JS (`generateApiKey`, `hashSecret`, `verifySecret`).

use super::error::{type_error, IntoJs, JsResult};
use crate::apikey::ApiKeyFormat;
use crate::secret_hash::{hash_secret, verify_secret, HashAlgorithm, DEFAULT_PBKDF2_ITERATIONS};
use serde_json::json;
use wasm_bindgen::prelude::*;

/// A fresh API key as JSON text `{"token", "keyId", "hash"}`; show the token once.
#[wasm_bindgen(js_name = generateApiKey)]
pub fn generate_api_key(prefix: Option<String>) -> JsResult<String> {
    let format = match prefix {
        Some(prefix) => ApiKeyFormat::new(&prefix).js()?,
        None => ApiKeyFormat::default(),
    };
    let key = format.generate().js()?;
    Ok(json!({"token": key.token, "keyId": key.key_id, "hash": key.hash}).to_string())
}

/// `algorithm` is `"sha256"` (salted HMAC-SHA256, for generated secrets) or
/// `"pbkdf2-sha256"` (for secrets people choose).
#[wasm_bindgen(js_name = hashSecret)]
pub fn hash_secret_js(secret: &[u8], algorithm: Option<String>, iterations: Option<u32>) -> JsResult<String> {
    let algorithm = match algorithm.as_deref() {
        Some("sha256") => HashAlgorithm::HmacSha256,
        None | Some("pbkdf2-sha256") => {
            HashAlgorithm::Pbkdf2Sha256 { iterations: iterations.unwrap_or(DEFAULT_PBKDF2_ITERATIONS) }
        }
        Some(_) => return Err(type_error("algorithm must be \"sha256\" or \"pbkdf2-sha256\"")),
    };
    hash_secret(secret, algorithm).js()
}

/// Whether `secret` matches a stored PHC, bcrypt or Moose hash.
#[wasm_bindgen(js_name = verifySecret)]
pub fn verify_secret_js(secret: &[u8], hash: &str) -> JsResult<bool> {
    verify_secret(secret, hash).js()
}
