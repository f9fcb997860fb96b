//! ES512's ECDSA: RustCrypto's P-521 arithmetic and RFC 6979 nonces, hashing
//! with ring's SHA-512.
//!
//! `p521` would hash with RustCrypto's `sha2`, a second SHA-512 beside
//! ring's in the wasm (3 KiB gzip). [`RingSha512`] puts ring's under
//! the `digest` traits instead; the signatures are the same, byte for byte
//! (a test below checks it against `p521`'s own signer).

use digest::block_api::BlockSizeUser;
use digest::consts::{U128, U64};
use digest::{FixedOutput, HashMarker, Output, OutputSizeUser, Update};
use ecdsa::hazmat::sign_prehashed_rfc6979;
use p521::ecdsa::signature::hazmat::PrehashVerifier;
use p521::ecdsa::{Signature, SigningKey, VerifyingKey};
use p521::NistP521;
use ring::digest::{digest, Context, SHA512};

pub(crate) fn available() -> bool {
    true
}

/// A public key checked to lie on the curve.
pub(crate) struct Public(VerifyingKey);

impl Public {
    pub(crate) fn new(point: &[u8]) -> Option<Public> {
        VerifyingKey::from_sec1_bytes(point).ok().map(Public)
    }

    /// Whether `signature` is this key's ECDSA signature of `message` (`point` is this key's own).
    pub(crate) fn verify(&self, _point: &[u8], message: &[u8], signature: &[u8]) -> bool {
        Signature::from_slice(signature).is_ok_and(|sig| verify(&self.0, message, &sig))
    }
}

/// A private scalar checked to match its public point.
pub(crate) struct Private(SigningKey);

impl Private {
    pub(crate) fn new(d: &[u8], point: &[u8]) -> Option<Private> {
        let key = SigningKey::from_slice(d).ok()?;
        (key.verifying_key().to_sec1_point(false).as_bytes() == point).then_some(Private(key))
    }

    /// The deterministic ECDSA signature of `message` (RFC 6979), `R || S`.
    pub(crate) fn sign(&self, message: &[u8]) -> Option<Vec<u8>> {
        Some(sign(&self.0, message).to_bytes().to_vec())
    }
}

/// The SEC1 uncompressed public point of scalar `d`, if `d` is a valid private scalar.
pub(crate) fn public_point(d: &[u8]) -> Option<Vec<u8>> {
    let key = SigningKey::from_slice(d).ok()?;
    Some(key.verifying_key().to_sec1_point(false).as_bytes().to_vec())
}

fn sign(key: &SigningKey, message: &[u8]) -> Signature {
    let z = digest(&SHA512, message);
    sign_prehashed_rfc6979::<NistP521, RingSha512>(key.as_nonzero_scalar(), z.as_ref(), &[]).0
}

fn verify(key: &VerifyingKey, message: &[u8], signature: &Signature) -> bool {
    key.verify_prehash(digest(&SHA512, message).as_ref(), signature).is_ok()
}

/// ring's SHA-512 as a RustCrypto digest, for the HMAC in RFC 6979.
struct RingSha512(Context);

impl Default for RingSha512 {
    fn default() -> Self {
        RingSha512(Context::new(&SHA512))
    }
}

impl HashMarker for RingSha512 {}

impl OutputSizeUser for RingSha512 {
    type OutputSize = U64;
}

impl BlockSizeUser for RingSha512 {
    type BlockSize = U128;
}

impl Update for RingSha512 {
    fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }
}

impl FixedOutput for RingSha512 {
    fn finalize_into(self, out: &mut Output<Self>) {
        // SHA-512's output is U64 long: the lengths always match.
        out.copy_from_slice(self.0.finish().as_ref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p521::ecdsa::signature::{Signer, Verifier};

    #[test]
    fn signatures_equal_p521s_own_and_verify_both_ways() {
        for seed in 1u8..=24 {
            let key = SigningKey::from_slice(&[&[0u8][..], &[seed; 65]].concat()).unwrap();
            let message = vec![seed; usize::from(seed) * 7];
            let ours = sign(&key, &message);
            let theirs: Signature = key.sign(&message);
            assert_eq!(ours, theirs, "seed {seed}");
            assert!(verify(key.verifying_key(), &message, &theirs));
            assert!(key.verifying_key().verify(&message, &ours).is_ok());
            assert!(!verify(key.verifying_key(), b"another message", &ours));
        }
    }
}
