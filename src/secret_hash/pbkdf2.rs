//! `$pbkdf2-sha256$i=<iterations>$<salt>$<hash>`: PBKDF2-HMAC-SHA256 for secrets people choose.
//!
//! The iteration count read from a stored hash must lie within
//! [`MIN_PBKDF2_ITERATIONS`]..=[`MAX_PBKDF2_ITERATIONS`]: the upper bound stops
//! a hostile or mistyped hash from burning a request's CPU budget, the lower
//! bound stops a downgraded one from being cheap to brute-force. Hashes are
//! derived and checked by `ring::pbkdf2`, whose `verify` compares in constant
//! time.

use super::phc::{self, Phc};
use crate::{Error, Result};
use ring::pbkdf2::{self, PBKDF2_HMAC_SHA256};
use std::num::NonZeroU32;
use std::ops::RangeInclusive;

/// The PHC identifier.
pub(super) const ID: &str = "pbkdf2-sha256";

/// The default iteration count: OWASP's Password Storage Cheat Sheet figure for
/// PBKDF2-HMAC-SHA256.
pub const DEFAULT_PBKDF2_ITERATIONS: u32 = 600_000;

/// The least iteration count accepted, NIST SP 800-63B's "at least 10,000".
/// (Moose's 1,000 is accepted only through the Moose format.)
pub const MIN_PBKDF2_ITERATIONS: u32 = 10_000;

/// The most iterations a stored hash may ask for: the default with room to grow
/// by two thirds, which costs roughly a second of CPU natively and caps what a
/// hostile hash can make one verification cost.
pub const MAX_PBKDF2_ITERATIONS: u32 = 1_000_000;

/// The derived-key lengths accepted in a stored hash; edgeauth writes 32.
/// At most one SHA-256 block: each further block would repeat every
/// iteration, so a longer hash would double the cost the bound above allows.
const HASH_LEN: RangeInclusive<usize> = 16..=32;
const WRITTEN_HASH_LEN: usize = 32;

/// A parsed `$pbkdf2-sha256$` hash.
pub(super) struct Pbkdf2 {
    iterations: NonZeroU32,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

impl Pbkdf2 {
    pub(super) fn iterations(&self) -> u32 {
        self.iterations.get()
    }

    /// Checks the fields of a PHC string whose identifier is [`ID`].
    pub(super) fn from_phc(phc: Phc<'_>) -> Result<Self> {
        let params =
            phc.params.ok_or(Error::HashInvalid("pbkdf2-sha256 hash lacks its i= parameter"))?;
        if !HASH_LEN.contains(&phc.hash.len()) {
            return Err(Error::HashInvalid("pbkdf2-sha256 hash must be 16 to 32 bytes"));
        }
        Ok(Pbkdf2 { iterations: parse_iterations(params)?, salt: phc.salt, hash: phc.hash })
    }

    pub(super) fn matches(&self, secret: &[u8]) -> bool {
        matches(self.iterations, &self.salt, secret, &self.hash)
    }
}

/// Whether PBKDF2-HMAC-SHA256 of `secret` equals `expected`, in constant time.
pub(super) fn matches(iterations: NonZeroU32, salt: &[u8], secret: &[u8], expected: &[u8]) -> bool {
    pbkdf2::verify(PBKDF2_HMAC_SHA256, iterations, salt, secret, expected).is_ok()
}

/// Hashes `secret` under `salt`.
pub(super) fn hash(secret: &[u8], salt: &[u8], iterations: u32) -> Result<String> {
    let count = bounded(iterations)?;
    let mut out = [0u8; WRITTEN_HASH_LEN];
    pbkdf2::derive(PBKDF2_HMAC_SHA256, count, salt, secret, &mut out);
    Ok(phc::format(ID, Some(&format!("i={iterations}")), salt, &out))
}

/// Reads `i=<decimal>` (no sign, no leading zero) and bounds it.
fn parse_iterations(params: &str) -> Result<NonZeroU32> {
    let digits = params
        .strip_prefix("i=")
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0'))
        .ok_or(Error::HashInvalid("pbkdf2-sha256 parameters must be exactly i=<iterations>"))?;
    // Anything too long for a u32 is far above the bound anyway.
    bounded(digits.parse().unwrap_or(u32::MAX))
}

fn bounded(iterations: u32) -> Result<NonZeroU32> {
    NonZeroU32::new(iterations)
        .filter(|n| (MIN_PBKDF2_ITERATIONS..=MAX_PBKDF2_ITERATIONS).contains(&n.get()))
        .ok_or(Error::HashInvalid("PBKDF2 iteration count is outside the allowed range"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret_hash::hex;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Vector {
        password: String,
        salt: String,
        iterations: u32,
        derived_key: String,
    }

    #[derive(Deserialize)]
    struct Vectors {
        vectors: Vec<Vector>,
    }

    #[test]
    fn derives_rfc7914_section_11_vectors() {
        let file = include_str!("../../tests/vectors/rfc7914/pbkdf2_sha256.json");
        let vectors: Vectors = serde_json::from_str(file).unwrap();
        assert_eq!(vectors.vectors.len(), 2);
        for v in vectors.vectors {
            let expected = hex::decode(&v.derived_key).unwrap();
            let count = NonZeroU32::new(v.iterations).unwrap();
            let (salt, password) = (v.salt.as_bytes(), v.password.as_bytes());
            let mut out = vec![0u8; expected.len()];
            pbkdf2::derive(PBKDF2_HMAC_SHA256, count, salt, password, &mut out);
            assert_eq!(out, expected, "{}", v.password);
            assert!(matches(count, salt, password, &expected));
            assert!(!matches(count, salt, b"wrong", &expected));
        }
    }

    fn parsed(stored: &str) -> Result<Pbkdf2> {
        Pbkdf2::from_phc(phc::parse(stored)?)
    }

    #[test]
    fn hashes_and_verifies_at_the_minimum_count() {
        let stored = hash(b"correct horse", b"saltsalt", MIN_PBKDF2_ITERATIONS).unwrap();
        assert!(stored.starts_with("$pbkdf2-sha256$i=10000$c2FsdHNhbHQ$"));
        assert!(parsed(&stored).unwrap().matches(b"correct horse"));
        assert!(!parsed(&stored).unwrap().matches(b"correct horse "));
    }

    #[test]
    fn refuses_counts_outside_the_bounds() {
        for n in [0, 1, 1000, MIN_PBKDF2_ITERATIONS - 1, MAX_PBKDF2_ITERATIONS + 1, u32::MAX] {
            assert!(matches!(hash(b"x", b"saltsalt", n), Err(Error::HashInvalid(_))), "{n}");
        }
        assert!(bounded(MAX_PBKDF2_ITERATIONS).is_ok());
    }

    #[test]
    fn refuses_malformed_parameters() {
        let hash = "c2FsdHNhbHRzYWx0c2FsdA";
        for params in [
            "i=",
            "i=01000000",
            "i=+20000",
            "i=20000,l=32",
            "l=32",
            "i=-1",
            "I=20000",
            "i=99999999999999999999",
            "i=2000000",
        ] {
            let stored = format!("$pbkdf2-sha256${params}$c2FsdHNhbHQ${hash}");
            assert!(matches!(parsed(&stored), Err(Error::HashInvalid(_))), "{params}");
        }
        let no_params = format!("$pbkdf2-sha256$c2FsdHNhbHQ${hash}");
        assert!(matches!(parsed(&no_params), Err(Error::HashInvalid(_))));
        assert!(parsed(&format!("$pbkdf2-sha256$i=20000$c2FsdHNhbHQ${hash}")).is_ok());
    }

    #[test]
    fn refuses_wrong_hash_lengths() {
        for len in [0, 15, 65] {
            let stored = phc::format(ID, Some("i=20000"), b"saltsalt", &vec![0u8; len]);
            assert!(matches!(parsed(&stored), Err(Error::HashInvalid(_))), "{len}");
        }
    }
}
