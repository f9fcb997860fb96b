//! Fresh keys for the HMAC, ECDSA and EdDSA algorithms.
//!
//! Randomness comes from the platform (`ring::rand::SystemRandom`, which is
//! `crypto.getRandomValues` in WebAssembly hosts). RSA generation is not offered:
//! `ring` does not generate RSA keys.

use super::der;
use super::import::from_parts;
use super::key::Material;
use super::oct::OctKey;
use super::okp::{Ed25519Key, KEY_LEN};
use crate::error::{Error, Result};
use crate::jws::alg::{Algorithm, Curve, Family};
use crate::random;
use ring::rand::SystemRandom;
use ring::signature::EcdsaKeyPair;

/// Tries before giving up on drawing a P-521 scalar below the group order
/// (each draw succeeds with probability above 1/2).
const P521_DRAWS: usize = 64;

pub(crate) fn material(alg: Algorithm) -> Result<Material> {
    match alg.family() {
        Family::Hmac(sha) => Ok(Material::Oct(OctKey::new(random_vec(sha.output_len())?)?)),
        Family::Ecdsa(Curve::P521) => p521(),
        Family::Ecdsa(curve) => ecdsa(curve),
        Family::Ed25519 => Ok(Material::Ed25519(Ed25519Key::private(random_vec(KEY_LEN)?, None)?)),
        Family::RsaPkcs1(_) | Family::RsaPss(_) => {
            Err(Error::NotSupported("RSA key generation is not supported: import a key"))
        }
    }
}

fn ecdsa(curve: Curve) -> Result<Material> {
    let alg = match curve {
        Curve::P256 => &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        _ => &ring::signature::ECDSA_P384_SHA384_FIXED_SIGNING,
    };
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(alg, &SystemRandom::new())
        .map_err(|_| Error::NotSupported("no secure random number generator is available"))?;
    from_parts(der::from_pkcs8(pkcs8.as_ref())?)
}

fn p521() -> Result<Material> {
    super::ec::p521_available()?;
    for _ in 0..P521_DRAWS {
        let mut d = random_vec(Curve::P521.coordinate_len())?;
        if let Some(top) = d.first_mut() {
            *top &= 0x01;
        }
        if let Some(point) = super::p521::public_point(&d) {
            let parts = der::Parts::Ec { curve: Curve::P521, point, d: Some(d) };
            return from_parts(parts);
        }
    }
    Err(Error::NotSupported("no P-521 scalar below the group order was drawn"))
}

fn random_vec(len: usize) -> Result<Vec<u8>> {
    let mut bytes = vec![0; len];
    random::fill(&mut bytes)?;
    Ok(bytes)
}
