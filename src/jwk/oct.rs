//! Symmetric keys for the HMAC algorithms (JWK `kty: "oct"`).
//!
//! The secret is never printed, exported to a public key set or compared in
//! variable time; a secret shorter than the hash output of the algorithm it
//! serves is refused (RFC 7518 section 3.2).

use crate::error::{Error, Result};
use crate::jws::alg::Sha;
use ring::hmac;
use std::sync::OnceLock;

/// The shortest secret accepted even when short secrets are allowed.
pub(crate) const MIN_SHORT_SECRET: usize = 8;

pub(crate) struct OctKey {
    secret: Vec<u8>,
    /// Opted into by [`OctKey::new_short`]: shorter than the hash output, but
    /// never below [`MIN_SHORT_SECRET`].
    short_allowed: bool,
    /// `ring` HMAC keys, prepared once per hash on first use.
    prepared: [OnceLock<hmac::Key>; 3],
}

impl OctKey {
    /// Refuses a secret shorter than the least any HMAC algorithm accepts
    /// (HS256's 32 bytes), so that a weak key fails at import, not at use.
    pub(crate) fn new(secret: Vec<u8>) -> Result<OctKey> {
        if secret.len() < Sha::Sha256.output_len() {
            return Err(Error::JwkInvalid("the HMAC secret is shorter than the hash output"));
        }
        Ok(OctKey { secret, short_allowed: false, prepared: Default::default() })
    }

    /// A secret that may be shorter than the hash output, as some deployed
    /// systems use (CloudMon's are about 20 characters); still at least
    /// [`MIN_SHORT_SECRET`] bytes.
    pub(crate) fn new_short(secret: Vec<u8>) -> Result<OctKey> {
        if secret.len() < MIN_SHORT_SECRET {
            return Err(Error::JwkInvalid("the HMAC secret is shorter than 8 bytes"));
        }
        Ok(OctKey { secret, short_allowed: true, prepared: Default::default() })
    }

    pub(crate) fn secret(&self) -> &[u8] {
        &self.secret
    }

    /// Refuses a secret too short for `sha` (RFC 7518 section 3.2).
    pub(crate) fn check_strength(&self, sha: Sha) -> Result<()> {
        if !self.short_allowed && self.secret.len() < sha.output_len() {
            return Err(Error::JwkInvalid("the HMAC secret is shorter than the hash output"));
        }
        Ok(())
    }

    pub(crate) fn sign(&self, sha: Sha, message: &[u8]) -> Result<Vec<u8>> {
        self.check_strength(sha)?;
        Ok(hmac::sign(self.key(sha), message).as_ref().to_vec())
    }

    /// Constant-time check of `tag` against the HMAC of `message`.
    pub(crate) fn verify(&self, sha: Sha, message: &[u8], tag: &[u8]) -> Result<bool> {
        self.check_strength(sha)?;
        Ok(hmac::verify(self.key(sha), message, tag).is_ok())
    }

    fn key(&self, sha: Sha) -> &hmac::Key {
        let (slot, algorithm) = match sha {
            Sha::Sha256 => (&self.prepared[0], hmac::HMAC_SHA256),
            Sha::Sha384 => (&self.prepared[1], hmac::HMAC_SHA384),
            Sha::Sha512 => (&self.prepared[2], hmac::HMAC_SHA512),
        };
        slot.get_or_init(|| hmac::Key::new(algorithm, &self.secret))
    }
}
