//! Ed25519 keys for EdDSA (JWK `kty: "OKP"`, `crv: "Ed25519"`, RFC 8037).
//!
//! A private key is its 32-byte seed; it is checked against its public key
//! when both are given.

use crate::error::{Error, Result};
use ring::signature::{self, Ed25519KeyPair, KeyPair};

pub(crate) const KEY_LEN: usize = 32;

pub(crate) struct Ed25519Key {
    public: Vec<u8>,
    private: Option<(Vec<u8>, Ed25519KeyPair)>,
}

impl Ed25519Key {
    pub(crate) fn public(x: Vec<u8>) -> Result<Ed25519Key> {
        if x.len() != KEY_LEN {
            return Err(Error::JwkInvalid("an Ed25519 public key is 32 bytes"));
        }
        Ok(Ed25519Key { public: x, private: None })
    }

    /// A private key from its seed, checked against `x` when given.
    pub(crate) fn private(seed: Vec<u8>, x: Option<&[u8]>) -> Result<Ed25519Key> {
        if seed.len() != KEY_LEN {
            return Err(Error::JwkInvalid("an Ed25519 private key is 32 bytes"));
        }
        let pair = match x {
            Some(x) => Ed25519KeyPair::from_seed_and_public_key(&seed, x),
            None => Ed25519KeyPair::from_seed_unchecked(&seed),
        }
        .map_err(|_| Error::JwkInvalid("the Ed25519 private key does not match its public key"))?;
        let public = pair.public_key().as_ref().to_vec();
        Ok(Ed25519Key { public, private: Some((seed, pair)) })
    }

    pub(crate) fn x(&self) -> &[u8] {
        &self.public
    }

    pub(crate) fn d(&self) -> Option<&[u8]> {
        self.private.as_ref().map(|(seed, _)| seed.as_slice())
    }

    pub(crate) fn verify(&self, message: &[u8], sig: &[u8]) -> bool {
        signature::UnparsedPublicKey::new(&signature::ED25519, &self.public).verify(message, sig).is_ok()
    }

    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let (_, pair) = self.private.as_ref().ok_or(Error::JwkInvalid("signing needs a private key"))?;
        Ok(pair.sign(message).as_ref().to_vec())
    }
}
