//! Signing and verification: an algorithm applied with a key.
//!
//! Both check first that the key may serve the algorithm, so a token's header
//! can never make a public key act as an HMAC secret.

use super::alg::{Algorithm, Family};
use crate::error::{Error, Result};
use crate::jwk::{Key, Material};

pub(crate) fn sign(key: &Key, alg: Algorithm, input: &[u8]) -> Result<Vec<u8>> {
    check_fit(key, alg, "sign")?;
    match (key.material(), alg.family()) {
        (Material::Oct(secret), Family::Hmac(sha)) => secret.sign(sha, input),
        (Material::Rsa(rsa), Family::RsaPkcs1(sha)) => rsa.sign(sha, false, input),
        (Material::Rsa(rsa), Family::RsaPss(sha)) => rsa.sign(sha, true, input),
        (Material::Ec(ec), Family::Ecdsa(_)) => ec.sign(input),
        (Material::Ed25519(ed), Family::Ed25519) => ed.sign(input),
        _ => Err(misfit()),
    }
}

/// Whether `signature` over `input` verifies with `key` under `alg`.
pub(crate) fn verify(key: &Key, alg: Algorithm, input: &[u8], signature: &[u8]) -> Result<bool> {
    check_fit(key, alg, "verify")?;
    match (key.material(), alg.family()) {
        (Material::Oct(secret), Family::Hmac(sha)) => secret.verify(sha, input, signature),
        (Material::Rsa(rsa), Family::RsaPkcs1(sha)) => Ok(rsa.verify(sha, false, input, signature)),
        (Material::Rsa(rsa), Family::RsaPss(sha)) => Ok(rsa.verify(sha, true, input, signature)),
        (Material::Ec(ec), Family::Ecdsa(_)) => Ok(ec.verify(input, signature)),
        (Material::Ed25519(ed), Family::Ed25519) => Ok(ed.verify(input, signature)),
        _ => Err(misfit()),
    }
}

/// The exact length of `alg`'s signatures by `key`, when `key` serves `alg`:
/// what a signature made elsewhere (a host's crypto) must measure.
pub(crate) fn signature_len(key: &Key, alg: Algorithm) -> Option<usize> {
    match (key.material(), alg.family()) {
        (Material::Oct(_), Family::Hmac(sha)) => Some(sha.output_len()),
        (Material::Rsa(rsa), Family::RsaPkcs1(_) | Family::RsaPss(_)) => {
            Some(rsa.n().iter().skip_while(|byte| **byte == 0).count())
        }
        (Material::Ec(_), Family::Ecdsa(curve)) => Some(2 * curve.coordinate_len()),
        (Material::Ed25519(_), Family::Ed25519) => Some(64),
        _ => None,
    }
}

pub(crate) fn check_fit(key: &Key, alg: Algorithm, op: &str) -> Result<()> {
    if !key.permits(alg) {
        return Err(misfit());
    }
    if !key.allows_op(op) {
        return Err(Error::AlgNotAllowed("the key's \"key_ops\" do not allow this operation"));
    }
    Ok(())
}

fn misfit() -> Error {
    Error::AlgNotAllowed("the key may not be used with the token's algorithm")
}
