//! What the package hands to its host's native crypto (Node's `node:crypto`,
//! WebCrypto): which algorithms the host computes, and keys in the JWK form
//! a host imports. Shared by verification (`pending`) and signing (`signing`).

use super::error::{IntoJs, JsResult};
use crate::jws::alg::Family;
use crate::{Algorithm, Key};
use serde_json::Value;

/// The JWK members a host needs to import a key, and no others (a host may
/// refuse `use`, `key_ops` or `alg` members it reads differently).
const PUBLIC_MEMBERS: [&str; 6] = ["kty", "n", "e", "crv", "x", "y"];
const PRIVATE_MEMBERS: [&str; 6] = ["d", "p", "q", "dp", "dq", "qi"];

/// Whether the host computes `alg`'s signatures, to check or to make them:
/// RSA and ECDSA, where ring's big-number code in wasm is several times
/// slower than the host's native code, and Ed25519, which Node, Chromium
/// and workerd check and sign faster than ring in wasm (`make bench`). HMAC
/// stays in wasm. A host that lacks one says so, and wasm does it.
pub(super) fn computes(alg: Algorithm) -> bool {
    matches!(alg.family(), Family::RsaPkcs1(_) | Family::RsaPss(_) | Family::Ecdsa(_) | Family::Ed25519)
}

/// `key` as JWK text with only the members a host imports: the public ones,
/// and the private ones too when `private` (for signing).
pub(super) fn jwk(key: &Key, private: bool) -> JsResult<String> {
    let mut jwk = key.to_jwk(private).js()?;
    let wanted = |name: &str| PUBLIC_MEMBERS.contains(&name) || (private && PRIVATE_MEMBERS.contains(&name));
    jwk.retain(|name, _| wanted(name));
    Ok(Value::Object(jwk).to_string())
}
