//! P-521 for the npm package's hosts without a synchronous P-521 of their
//! own: the operations of the edgeauth core's `p521::Ops` (points SEC1
//! uncompressed, scalars 66 bytes, signatures `R || S`), with RustCrypto's
//! `p521`, deterministic ECDSA (RFC 6979) with SHA-512. npm/p521-module.mjs
//! hands them to the main wasm. Nothing here decides: each answers what it
//! computed, and `None` or `false` for input it refuses.

use p521::ecdsa::signature::{Signer, Verifier};
use p521::ecdsa::{Signature, SigningKey, VerifyingKey};
use wasm_bindgen::prelude::*;

/// Whether `point` lies on P-521.
#[wasm_bindgen(js_name = checkPoint)]
pub fn check_point(point: &[u8]) -> bool {
    VerifyingKey::from_sec1_bytes(point).is_ok()
}

/// The public point of `d`, if `d` is a valid private scalar.
#[wasm_bindgen(js_name = publicPoint)]
pub fn public_point(d: &[u8]) -> Option<Vec<u8>> {
    let key = SigningKey::from_slice(d).ok()?;
    Some(key.verifying_key().to_sec1_point(false).as_bytes().to_vec())
}

/// The signature of `message` by `d` (its public point is not needed here).
#[wasm_bindgen]
pub fn sign(d: &[u8], _point: &[u8], message: &[u8]) -> Option<Vec<u8>> {
    let key = SigningKey::from_slice(d).ok()?;
    let signature: Signature = key.sign(message);
    Some(signature.to_bytes().to_vec())
}

/// Whether `signature` over `message` verifies under `point`.
#[wasm_bindgen]
pub fn verify(point: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let (Ok(key), Ok(signature)) = (VerifyingKey::from_sec1_bytes(point), Signature::from_slice(signature)) else {
        return false;
    };
    key.verify(message, &signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_verifies_and_refuses() {
        let d = [&[0u8][..], &[7u8; 65]].concat();
        let point = public_point(&d).unwrap();
        assert!(check_point(&point));
        let signature = sign(&d, &point, b"message").unwrap();
        assert_eq!(signature.len(), 132);
        assert!(verify(&point, b"message", &signature));
        assert!(!verify(&point, b"another", &signature));
        let mut off_curve = point.clone();
        off_curve[100] ^= 1;
        assert!(!check_point(&off_curve));
        assert_eq!(public_point(&[0xff; 66]), None);
        assert_eq!(public_point(&[0; 66]), None);
    }
}
