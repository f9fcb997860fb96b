//! Hand-built tokens for the attacks: any header, any payload, any signature.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use edgeauth::jwks::KeySource;
use edgeauth::jwt::{self, Validation};
use edgeauth::{Algorithm, Error, Key, KeySet};

pub const NOW: f64 = 1_700_000_000.0;

pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).expect("canonical base64url")
}

/// A token over raw header and payload text, signed by `key`.
pub fn signed(header: &str, payload: &str, key: &Key) -> String {
    let input = format!("{}.{}", b64(header), b64(payload));
    let signature = edgeauth::jws::signature(key, input.as_bytes()).unwrap();
    format!("{input}.{}", b64(signature))
}

/// A token over raw header and payload text with the given signature bytes.
pub fn forged(header: &str, payload: &str, signature: &[u8]) -> String {
    format!("{}.{}.{}", b64(header), b64(payload), b64(signature))
}

pub fn hs256() -> Key {
    Key::from_secret(&[7; 32], Algorithm::HS256, Some("hs")).unwrap()
}

pub fn at_now(algorithms: &[Algorithm]) -> Validation {
    Validation { current_time: Some(NOW), require_exp: false, ..Validation::new(algorithms) }
}

/// The error verifying `token` with `keys`, accepting `algorithms`.
pub fn refused(token: &str, keys: &impl KeySource, algorithms: &[Algorithm]) -> Error {
    jwt::verify(token, keys, &at_now(algorithms)).expect_err("the attack must be refused")
}

pub fn set_of(keys: &[&Key]) -> KeySet {
    let mut set = KeySet::new();
    for key in keys {
        set.add((*key).clone());
    }
    set
}

/// A claim failure as the engine reports it.
pub fn claim(name: &str, reason: edgeauth::ClaimReason) -> Error {
    Error::ClaimValidationFailed { claim: name.into(), reason }
}
