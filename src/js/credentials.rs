//! API keys, hashed secrets and `Authorization` values for JS
//! (`generateApiKey`, `hashSecret`, `verifySecret`, `parseBearer`,
//! `parseBasic`, and what the package's `StoredSecrets` asks the core).

use super::error::{type_error, IntoJs, JsResult};
use crate::apikey::ApiKeyFormat;
use crate::authn::{matches_any, stand_in};
use crate::http_auth::{parse_basic, parse_bearer};
use crate::secret_hash::{check_stored_hash, hash_secret, verify_secret, HashAlgorithm, DEFAULT_PBKDF2_ITERATIONS};
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

/// The token of an `Authorization: Bearer` value, read strictly (`http_auth`).
#[wasm_bindgen(js_name = parseBearer)]
pub fn parse_bearer_js(authorization: &str) -> JsResult<String> {
    parse_bearer(authorization).map(str::to_owned).js()
}

/// The user and password of an `Authorization: Basic` value, as
/// `<user>:<password>`: the user holds no colon, so the first one splits them.
#[wasm_bindgen(js_name = parseBasic)]
pub fn parse_basic_js(authorization: &str) -> JsResult<String> {
    let credentials = parse_basic(authorization).js()?;
    Ok(format!("{}:{}", credentials.user_id, credentials.password))
}

/// The costliest to check of `hashes` (one per line), each checked usable
/// first: what a secret presented for an unknown name is checked against,
/// so that an unknown user costs the same work as a known one.
#[wasm_bindgen(js_name = costliestHash)]
pub fn costliest_hash(hashes: &str) -> JsResult<String> {
    let hashes: Vec<String> = hashes.lines().map(str::to_owned).collect();
    hashes.iter().try_for_each(|hash| check_stored_hash(hash)).js()?;
    stand_in(&hashes).cloned().ok_or_else(|| type_error("no stored hash"))
}

/// Whether `secret` matches one of `hashes` (one per line), every one checked.
#[wasm_bindgen(js_name = verifySecretAny)]
pub fn verify_secret_any(secret: &[u8], hashes: &str) -> JsResult<bool> {
    let hashes: Vec<String> = hashes.lines().map(str::to_owned).collect();
    matches_any(secret, &hashes).js()
}
