//! `$hmac-sha256$<salt>$<mac>`: a fast salted hash for generated secrets.
//!
//! The MAC is HMAC-SHA256 keyed by the random salt over the secret. One HMAC
//! is all a check costs, which is right for secrets of 256 random bits (API
//! keys): brute force is hopeless against them, so slowness would buy nothing.
//! It is wrong for secrets people choose; those take PBKDF2. The check is
//! `ring::hmac::verify`, which compares in constant time.

use super::phc::{self, Phc};
use crate::{Error, Result};
use ring::hmac;

/// The PHC identifier.
pub(super) const ID: &str = "hmac-sha256";

/// A parsed `$hmac-sha256$` hash.
pub(super) struct HmacSha256 {
    salt: Vec<u8>,
    mac: Vec<u8>,
}

impl HmacSha256 {
    /// Checks the fields of a PHC string whose identifier is [`ID`].
    pub(super) fn from_phc(phc: Phc<'_>) -> Result<Self> {
        if phc.params.is_some() {
            return Err(Error::HashInvalid("hmac-sha256 hashes take no parameters"));
        }
        if phc.hash.len() != hmac::HMAC_SHA256.digest_algorithm().output_len() {
            return Err(Error::HashInvalid("hmac-sha256 hash must be 32 bytes"));
        }
        Ok(HmacSha256 { salt: phc.salt, mac: phc.hash })
    }

    pub(super) fn matches(&self, secret: &[u8]) -> bool {
        hmac::verify(&key(&self.salt), secret, &self.mac).is_ok()
    }
}

/// Hashes `secret` under `salt`.
pub(super) fn hash(secret: &[u8], salt: &[u8]) -> String {
    phc::format(ID, None, salt, hmac::sign(&key(salt), secret).as_ref())
}

fn key(salt: &[u8]) -> hmac::Key {
    hmac::Key::new(hmac::HMAC_SHA256, salt)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(stored: &str) -> Result<HmacSha256> {
        HmacSha256::from_phc(phc::parse(stored)?)
    }

    #[test]
    fn hashes_like_rfc4231_test_case_2() {
        // RFC 4231 section 4.3: key "Jefe", data "what do ya want for nothing?".
        let mac = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        let mac: Vec<u8> =
            (0..32).map(|i| u8::from_str_radix(&mac[2 * i..2 * i + 2], 16).unwrap()).collect();
        let stored = hash(b"what do ya want for nothing?", b"Jefe");
        assert_eq!(stored, phc::format(ID, None, b"Jefe", &mac));
    }

    #[test]
    fn matches_only_the_hashed_secret() {
        let stored = parsed(&hash(b"secret", b"saltsalt")).unwrap();
        assert!(stored.matches(b"secret"));
        for other in [&b"secret "[..], b"Secret", b"", b"secre"] {
            assert!(!stored.matches(other));
        }
    }

    #[test]
    fn refuses_params_and_wrong_lengths() {
        let good = hash(b"secret", b"saltsalt");
        assert!(parsed(&good).is_ok());
        let with_params = good.replacen("$hmac-sha256$", "$hmac-sha256$i=1$", 1);
        assert!(matches!(parsed(&with_params), Err(Error::HashInvalid(_))));
        let short = phc::format(ID, None, b"saltsalt", &[0u8; 31]);
        assert!(matches!(parsed(&short), Err(Error::HashInvalid(_))));
    }
}
