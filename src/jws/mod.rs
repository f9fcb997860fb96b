//! JSON Web Signature in compact serialization (RFC 7515): parse, sign, verify.
//!
//! [`verify`] accepts a token only if its `alg` is in the caller's explicit
//! list, a key from the [`KeySource`] may serve that algorithm, and the
//! signature verifies. `alg: none` is never an [`Algorithm`], so it never
//! verifies.

pub mod alg;
mod compact;
mod crypto;
mod header;

pub use alg::Algorithm;
pub use compact::DEFAULT_MAX_TOKEN_SIZE;
pub use header::Header;

use crate::b64;
use crate::error::{Error, Result};
use crate::jwk::Key;
use crate::jwks::KeySource;
use serde_json::{Map, Value};

/// A JWS whose signature verified.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    pub header: Header,
    pub payload: Vec<u8>,
}

/// Signs `payload` with `key`. `header` holds extra protected members; `alg`
/// always comes from the key, and `kid` does unless `header` names one.
pub fn sign(mut header: Map<String, Value>, payload: &[u8], key: &Key) -> Result<String> {
    let alg = key.signing_algorithm()?;
    if header.get("alg").is_some_and(|named| named != alg.name()) {
        return Err(Error::AlgNotAllowed("the header's \"alg\" differs from the key's algorithm"));
    }
    header.insert("alg".into(), alg.name().into());
    if let (false, Some(kid)) = (header.contains_key("kid"), key.kid()) {
        header.insert("kid".into(), kid.into());
    }
    let input = format!("{}.{}", b64::encode(Value::Object(header).to_string()), b64::encode(payload));
    let signature = crypto::sign(key, alg, input.as_bytes())?;
    Ok(format!("{input}.{}", b64::encode(signature)))
}

/// Verifies a compact JWS against `keys`, accepting only `algorithms`.
pub fn verify(
    token: &str,
    keys: &impl KeySource,
    algorithms: &[Algorithm],
    max_size: usize,
) -> Result<Verified> {
    let jws = compact::parse(token, max_size)?;
    let alg = algorithms
        .iter()
        .copied()
        .find(|allowed| allowed.name() == jws.header.alg())
        .ok_or(Error::AlgNotAllowed("the token's \"alg\" is not allowed"))?;
    for key in keys.candidates(alg, jws.header.kid())? {
        if crypto::verify(key, alg, jws.signing_input.as_bytes(), &jws.signature)? {
            return Ok(Verified { header: jws.header, payload: jws.payload });
        }
    }
    Err(Error::SignatureVerificationFailed)
}

/// The raw signature over `message` by `key` under its signing algorithm:
/// the algorithm alone, with no JWS around it (detached content, tests).
pub fn signature(key: &Key, message: &[u8]) -> Result<Vec<u8>> {
    crypto::sign(key, key.signing_algorithm()?, message)
}

/// Checks a raw `signature` over `message` with `key` under `alg`: the
/// algorithm alone, with no JWS around it (detached content, test vectors).
pub fn verify_signature(key: &Key, alg: Algorithm, message: &[u8], signature: &[u8]) -> Result<bool> {
    crypto::verify(key, alg, message, signature)
}

/// Parses a compact JWS without verifying it: for display and debugging only.
pub fn decode(token: &str, max_size: usize) -> Result<Verified> {
    let jws = compact::parse(token, max_size)?;
    Ok(Verified { header: jws.header, payload: jws.payload })
}
