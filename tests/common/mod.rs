//! Keys shared by the integration tests: one private key for every algorithm.
#![allow(dead_code)]

use edgeauth::{Algorithm, Key};

pub const RSA_PKCS8: &str = include_str!("../data/rsa2048.pkcs8.pem");
pub const RSA_SPKI: &str = include_str!("../data/rsa2048.spki.pem");

/// A private key for `alg`: generated, or the RSA test key.
pub fn private_key(alg: Algorithm) -> Key {
    match alg.name().as_bytes()[0] {
        b'R' | b'P' => Key::from_pem(RSA_PKCS8, alg, Some("rsa-test")).unwrap(),
        _ => Key::generate(alg, None).unwrap(),
    }
}

/// The public half of `key` (HMAC keys stay as they are).
pub fn public_key(key: &Key) -> Key {
    match key.to_jwk(false) {
        Ok(jwk) => Key::from_jwk(&jwk).unwrap(),
        Err(_) => key.clone(),
    }
}
