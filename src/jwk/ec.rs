//! Elliptic-curve keys for ES256, ES384 and ES512 (JWK `kty: "EC"`).
//!
//! A public point is checked to lie on its curve when the key is made, not at
//! the first verification. P-256 and P-384 use `ring`; P-521, which `ring`
//! lacks, uses RustCrypto's `p521` or what the build installs (`p521`). Signatures are the fixed-length `R || S`
//! of RFC 7518 section 3.4; DER is refused by length.

use super::p521;
use crate::error::{Error, Result};
use crate::jws::alg::Curve;
use ring::agreement;
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, EcdsaSigningAlgorithm, EcdsaVerificationAlgorithm};

pub(crate) struct EcKey {
    curve: Curve,
    /// SEC1 uncompressed point: `0x04 || x || y`.
    point: Vec<u8>,
    p521: Option<p521::Public>,
    private: Option<EcPrivate>,
}

struct EcPrivate {
    d: Vec<u8>,
    signer: EcSigner,
}

enum EcSigner {
    Ring(EcdsaKeyPair),
    P521(p521::Private),
}

impl EcKey {
    /// A key from its coordinates and, for a private key, its scalar `d`.
    pub(crate) fn new(curve: Curve, x: &[u8], y: &[u8], d: Option<Vec<u8>>) -> Result<EcKey> {
        let len = curve.coordinate_len();
        if x.len() != len || y.len() != len {
            return Err(Error::JwkInvalid("an EC coordinate has the wrong length for its curve"));
        }
        let point = [&[4u8][..], x, y].concat();
        let p521 = check_on_curve(curve, &point)?;
        let private = match d {
            Some(d) => Some(private_key(curve, &point, d)?),
            None => None,
        };
        Ok(EcKey { curve, point, p521, private })
    }

    /// A key from a SEC1 uncompressed point.
    pub(crate) fn from_point(curve: Curve, point: &[u8], d: Option<Vec<u8>>) -> Result<EcKey> {
        let len = curve.coordinate_len();
        match point.split_first() {
            Some((4, xy)) if xy.len() == 2 * len => {
                let (x, y) = xy.split_at(len);
                EcKey::new(curve, x, y, d)
            }
            Some((2 | 3, _)) => Err(Error::NotSupported("compressed EC points are not supported")),
            _ => Err(Error::JwkInvalid("the EC public point is malformed")),
        }
    }

    pub(crate) fn curve(&self) -> Curve {
        self.curve
    }

    pub(crate) fn x(&self) -> &[u8] {
        self.point.get(1..1 + self.curve.coordinate_len()).unwrap_or_default()
    }

    pub(crate) fn y(&self) -> &[u8] {
        self.point.get(1 + self.curve.coordinate_len()..).unwrap_or_default()
    }

    pub(crate) fn d(&self) -> Option<&[u8]> {
        self.private.as_ref().map(|private| private.d.as_slice())
    }

    pub(crate) fn verify(&self, message: &[u8], sig: &[u8]) -> bool {
        if sig.len() != 2 * self.curve.coordinate_len() {
            return false;
        }
        match (&self.p521, ring_verification(self.curve)) {
            (Some(public), _) => public.verify(&self.point, message, sig),
            (None, Some(alg)) => {
                signature::UnparsedPublicKey::new(alg, &self.point).verify(message, sig).is_ok()
            }
            (None, None) => false,
        }
    }

    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let private = self.private.as_ref().ok_or(Error::JwkInvalid("signing needs a private key"))?;
        let failed = Error::JwkInvalid("the EC key cannot sign");
        match &private.signer {
            EcSigner::Ring(pair) => {
                Ok(pair.sign(&SystemRandom::new(), message).map_err(|_| failed)?.as_ref().to_vec())
            }
            EcSigner::P521(key) => {
                let len = 2 * self.curve.coordinate_len();
                key.sign(message).filter(|sig| sig.len() == len).ok_or(failed)
            }
        }
    }
}

/// Checks that `point` lies on `curve`. For P-256 and P-384, an ECDH agreement
/// with an ephemeral key is `ring`'s public-key validation (SP 800-56A); for
/// P-521 the checked public key is kept for later use.
fn check_on_curve(curve: Curve, point: &[u8]) -> Result<Option<p521::Public>> {
    let off_curve = Error::JwkInvalid("the EC point is not on its curve");
    let agreement_alg = match curve {
        Curve::P256 => &agreement::ECDH_P256,
        Curve::P384 => &agreement::ECDH_P384,
        Curve::P521 => {
            p521_available()?;
            return p521::Public::new(point).map(Some).ok_or(off_curve);
        }
    };
    let ephemeral = agreement::EphemeralPrivateKey::generate(agreement_alg, &SystemRandom::new())
        .map_err(|_| Error::JwkInvalid("no randomness to validate the EC point"))?;
    let peer = agreement::UnparsedPublicKey::new(agreement_alg, point);
    agreement::agree_ephemeral(ephemeral, &peer, |_| ()).map_err(|_| off_curve)?;
    Ok(None)
}

fn private_key(curve: Curve, point: &[u8], d: Vec<u8>) -> Result<EcPrivate> {
    if d.len() != curve.coordinate_len() {
        return Err(Error::JwkInvalid("the EC private scalar has the wrong length for its curve"));
    }
    let mismatch = Error::JwkInvalid("the EC private key does not match its public point");
    let signer = match ring_signing(curve) {
        Some(alg) => EcdsaKeyPair::from_private_key_and_public_key(alg, &d, point, &SystemRandom::new())
            .map(EcSigner::Ring)
            .map_err(|_| mismatch)?,
        None => EcSigner::P521(p521::Private::new(&d, point).ok_or(mismatch)?),
    };
    Ok(EcPrivate { d, signer })
}

/// P-521 arithmetic is there, or the error that says it is not.
pub(super) fn p521_available() -> Result<()> {
    match p521::available() {
        true => Ok(()),
        false => Err(Error::NotSupported("P-521 (ES512) is not loaded here: in browsers, `await loadP521()` loads it")),
    }
}

fn ring_verification(curve: Curve) -> Option<&'static EcdsaVerificationAlgorithm> {
    match curve {
        Curve::P256 => Some(&signature::ECDSA_P256_SHA256_FIXED),
        Curve::P384 => Some(&signature::ECDSA_P384_SHA384_FIXED),
        Curve::P521 => None,
    }
}

fn ring_signing(curve: Curve) -> Option<&'static EcdsaSigningAlgorithm> {
    match curve {
        Curve::P256 => Some(&signature::ECDSA_P256_SHA256_FIXED_SIGNING),
        Curve::P384 => Some(&signature::ECDSA_P384_SHA384_FIXED_SIGNING),
        Curve::P521 => None,
    }
}
