//! Key import from JWK, JWK Set, PEM and DER, and the admin API's signing-key
//! import (`{"key": <JWK or PEM>, "activate"}`): any input must give a result, never a panic.
#![no_main]

use edgeauth::signing_keys::{signing_key, ImportRequest};
use edgeauth::{Algorithm, Key, KeySet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = Key::from_spki_der(data, Algorithm::ES256, None);
    let _ = Key::from_pkcs8_der(data, Algorithm::EdDSA, None);
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(key) = Key::from_jwk_str(text) {
        let _ = key.to_jwk(true);
        let _ = key.thumbprint();
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
