//! Key import from JWK, JWK Set, PEM and DER, and the admin API's signing-key
//! import (`{"key": <JWK or PEM>, "activate"}`): any input must give a result,
//! never a panic; and a key imported from a JWK survives its own export: the
//! exported JWK (private or public) imports again, as the same key (the same
//! RFC 7638 thumbprint, kid and alg).
#![no_main]

use edgeauth::signing_keys::{signing_key, ImportRequest};
use edgeauth::{Algorithm, Key, KeySet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = Key::from_spki_der(data, Algorithm::ES256, None);
    let _ = Key::from_pkcs8_der(data, Algorithm::EdDSA, None);
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(key) = Key::from_jwk_str(text) {
        round_trips(&key, true);
        round_trips(&key, false);
    }
    if let Ok(set) = KeySet::from_jwks_str(text) {
        let _ = set.to_public_jwks();
    }
    let _ = Key::from_pem(text, Algorithm::RS256, None);
    let _ = signing_key(&serde_json::Value::String(text.to_owned()), Algorithm::ES256);
    if let Ok(serde_json::Value::Object(body)) = serde_json::from_str::<serde_json::Value>(text) {
        let _ = ImportRequest::parse(&body, Algorithm::RS256);
        let _ = signing_key(&serde_json::Value::Object(body), Algorithm::EdDSA);
    }
});

/// `key`'s exported JWK imports as the same key. An export may be refused
/// (an HMAC secret has no public form), never come out unreadable.
fn round_trips(key: &Key, include_private: bool) {
    let Ok(jwk) = key.to_jwk(include_private) else { return };
    let again = match Key::from_jwk(&jwk) {
        Ok(again) => again,
        Err(error) => panic!("an exported JWK does not import: {error}: {jwk:?}"),
    };
    assert_eq!(again.thumbprint(), key.thumbprint(), "{jwk:?}");
    assert_eq!((again.kid(), again.alg()), (key.kid(), key.alg()), "{jwk:?}");
}
