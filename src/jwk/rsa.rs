//! RSA keys for RS256/384/512 and PS256/384/512 (JWK `kty: "RSA"`).
//!
//! Moduli from 2048 to 8192 bits are accepted; anything smaller is refused at
//! import. Private keys need their CRT parameters (what `ring` signs with) and
//! keep them so that they can be exported again as a JWK.

use crate::error::{Error, Result};
use crate::jws::alg::Sha;
use ring::rand::SystemRandom;
use ring::rsa;
use ring::signature::{self, RsaEncoding, RsaParameters, RsaPublicKeyComponents};

const MIN_BITS: usize = 2048;
const MAX_BITS: usize = 8192;

/// Big-endian unsigned integers, as in a JWK or a DER `RSAPrivateKey`.
pub(crate) struct RsaParts {
    pub n: Vec<u8>,
    pub e: Vec<u8>,
    pub private: Option<RsaPrivateParts>,
}

pub(crate) struct RsaPrivateParts {
    pub d: Vec<u8>,
    pub p: Vec<u8>,
    pub q: Vec<u8>,
    pub dp: Vec<u8>,
    pub dq: Vec<u8>,
    pub qi: Vec<u8>,
}

pub(crate) struct RsaKey {
    n: Vec<u8>,
    e: Vec<u8>,
    private: Option<(rsa::KeyPair, RsaPrivateParts)>,
}

impl RsaKey {
    pub(crate) fn new(parts: RsaParts) -> Result<RsaKey> {
        let n = unsigned(parts.n);
        let e = unsigned(parts.e);
        let bits = bit_length(&n);
        if bits < MIN_BITS {
            return Err(Error::JwkInvalid("RSA keys under 2048 bits are refused"));
        }
        if bits > MAX_BITS {
            return Err(Error::NotSupported("RSA keys over 8192 bits are not supported"));
        }
        check_public_exponent(&e)?;
        if n.last().is_some_and(|low| low & 1 == 0) {
            return Err(Error::JwkInvalid("the RSA modulus is even"));
        }
        let private = match parts.private {
            Some(private) => Some(key_pair(&n, &e, normalized(private))?),
            None => None,
        };
        Ok(RsaKey { n, e, private })
    }

    pub(crate) fn n(&self) -> &[u8] {
        &self.n
    }

    pub(crate) fn e(&self) -> &[u8] {
        &self.e
    }

    pub(crate) fn private_parts(&self) -> Option<&RsaPrivateParts> {
        self.private.as_ref().map(|(_, parts)| parts)
    }

    pub(crate) fn verify(&self, sha: Sha, pss: bool, message: &[u8], sig: &[u8]) -> bool {
        let public = RsaPublicKeyComponents { n: &self.n, e: &self.e };
        public.verify(verification(sha, pss), message, sig).is_ok()
    }

    pub(crate) fn sign(&self, sha: Sha, pss: bool, message: &[u8]) -> Result<Vec<u8>> {
        let (pair, _) = self.private.as_ref().ok_or(Error::JwkInvalid("signing needs a private key"))?;
        let mut sig = vec![0; pair.public().modulus_len()];
        pair.sign(encoding(sha, pss), &SystemRandom::new(), message, &mut sig)
            .map_err(|_| Error::JwkInvalid("the RSA key cannot sign"))?;
        Ok(sig)
    }
}

fn key_pair(n: &[u8], e: &[u8], parts: RsaPrivateParts) -> Result<(rsa::KeyPair, RsaPrivateParts)> {
    let components = rsa::KeyPairComponents {
        public_key: rsa::PublicKeyComponents { n, e },
        d: &parts.d,
        p: &parts.p,
        q: &parts.q,
        dP: &parts.dp,
        dQ: &parts.dq,
        qInv: &parts.qi,
    };
    let pair = rsa::KeyPair::from_components(&components)
        .map_err(|_| Error::JwkInvalid("the RSA private key is inconsistent or unsupported"))?;
    Ok((pair, parts))
}

fn normalized(parts: RsaPrivateParts) -> RsaPrivateParts {
    RsaPrivateParts {
        d: unsigned(parts.d),
        p: unsigned(parts.p),
        q: unsigned(parts.q),
        dp: unsigned(parts.dp),
        dq: unsigned(parts.dq),
        qi: unsigned(parts.qi),
    }
}

/// Drops leading zero bytes (DER integers carry one before a high bit).
/// The public exponent ring accepts (odd, 3 to 2^33 - 1), checked at import:
/// a host that verifies with its own crypto (Node, WebCrypto) may not check
/// it, and e = 1 would make any padded hash a valid signature.
fn check_public_exponent(e: &[u8]) -> Result<()> {
    let value = match e.len() {
        1..=5 => e.iter().fold(0u64, |value, byte| value << 8 | u64::from(*byte)),
        _ => 0,
    };
    if value < 3 || value % 2 == 0 || value > (1 << 33) - 1 {
        return Err(Error::JwkInvalid("the RSA public exponent must be odd, from 3 to 2^33 - 1"));
    }
    Ok(())
}

fn unsigned(mut bytes: Vec<u8>) -> Vec<u8> {
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    bytes.drain(..zeros);
    bytes
}

fn bit_length(n: &[u8]) -> usize {
    match n.first() {
        Some(first) => n.len() * 8 - first.leading_zeros() as usize,
        None => 0,
    }
}

fn verification(sha: Sha, pss: bool) -> &'static RsaParameters {
    match (sha, pss) {
        (Sha::Sha256, false) => &signature::RSA_PKCS1_2048_8192_SHA256,
        (Sha::Sha384, false) => &signature::RSA_PKCS1_2048_8192_SHA384,
        (Sha::Sha512, false) => &signature::RSA_PKCS1_2048_8192_SHA512,
        (Sha::Sha256, true) => &signature::RSA_PSS_2048_8192_SHA256,
        (Sha::Sha384, true) => &signature::RSA_PSS_2048_8192_SHA384,
        (Sha::Sha512, true) => &signature::RSA_PSS_2048_8192_SHA512,
    }
}

fn encoding(sha: Sha, pss: bool) -> &'static dyn RsaEncoding {
    match (sha, pss) {
        (Sha::Sha256, false) => &signature::RSA_PKCS1_SHA256,
        (Sha::Sha384, false) => &signature::RSA_PKCS1_SHA384,
        (Sha::Sha512, false) => &signature::RSA_PKCS1_SHA512,
        (Sha::Sha256, true) => &signature::RSA_PSS_SHA256,
        (Sha::Sha384, true) => &signature::RSA_PSS_SHA384,
        (Sha::Sha512, true) => &signature::RSA_PSS_SHA512,
    }
}
