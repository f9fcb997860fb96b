//! Checking presented secrets (static keys, service tokens, Basic passwords)
//! against stored hashes, paying the hash once per secret and TTL.
//!
//! Both outcomes are remembered per isolate, keyed by a hash of who, secret
//! and stored hashes together (so a changed hash is checked anew): a secret
//! that verified costs no second PBKDF2 or bcrypt, and neither does a retried
//! wrong one. A set of several hashes is checked against every one of them,
//! without stopping at the first match, so timing does not tell which matched.

use crate::apikey::VerifiedCache;
use crate::secret_hash::verify_secret;
use crate::Result;

/// How many outcomes are remembered, and for how long.
const REMEMBERED: usize = 4096;
const TTL_SECONDS: u64 = 30;

/// The remembered outcomes of secret checks.
pub(crate) struct SecretChecks {
    passed: VerifiedCache<()>,
    failed: VerifiedCache<()>,
}

fn cache_key(who: &str, secret: &str, hashes: &[String]) -> Vec<u8> {
    [who.as_bytes(), b"\0", secret.as_bytes(), b"\0", hashes.join("\0").as_bytes()].concat()
}

impl Default for SecretChecks {
    fn default() -> Self {
        SecretChecks { passed: VerifiedCache::new(REMEMBERED, TTL_SECONDS), failed: VerifiedCache::new(REMEMBERED, TTL_SECONDS) }
    }
}

impl SecretChecks {
    /// Whether `secret`, presented as `who`, matches one of `hashes`.
    pub(crate) fn check(&self, who: &str, secret: &str, hashes: &[String], now: u64) -> Result<bool> {
        match self.recall(who, secret, hashes, now) {
            Some(known) => Ok(known),
            None => self.compute(who, secret, hashes, now),
        }
    }

    /// The remembered outcome of this check, if there is one: no hash work.
    pub(crate) fn recall(&self, who: &str, secret: &str, hashes: &[String], now: u64) -> Option<bool> {
        let key = cache_key(who, secret, hashes);
        match (self.passed.get(&key, now), self.failed.get(&key, now)) {
            (Some(()), _) => Some(true),
            (None, Some(())) => Some(false),
            (None, None) => None,
        }
    }

    /// The check done, and its outcome remembered.
    pub(crate) fn compute(&self, who: &str, secret: &str, hashes: &[String], now: u64) -> Result<bool> {
        let key = cache_key(who, secret, hashes);
        let matched = matches_any(secret.as_bytes(), hashes)?;
        let outcome = if matched { &self.passed } else { &self.failed };
        outcome.insert(&key, (), now);
        Ok(matched)
    }

    /// Whether a check of `secret` as `who` against `hashes` was done.
    #[cfg(test)]
    pub(crate) fn remembers(&self, who: &str, secret: &str, hashes: &[String], now: u64) -> bool {
        self.recall(who, secret, hashes, now).is_some()
    }
}

/// Of several stored hashes, the costliest to check: what a secret presented
/// for an unknown name is checked against, so that an unknown user costs the
/// same work as a known one.
pub fn stand_in<'a>(hashes: impl IntoIterator<Item = &'a String>) -> Option<&'a String> {
    hashes.into_iter().max_by_key(|stored| crate::secret_hash::work(stored).unwrap_or(0))
}

/// Whether `secret` matches one of `hashes`, each of which is checked, none
/// skipped, so that timing does not tell which matched.
pub fn matches_any(secret: &[u8], hashes: &[String]) -> Result<bool> {
    let mut matched = false;
    for hash in hashes {
        matched |= verify_secret(secret, hash)?;
    }
    Ok(matched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret_hash::{hash_secret, HashAlgorithm};

    #[test]
    fn remembers_both_outcomes_per_secret() {
        let hashes = vec![hash_secret(b"right", HashAlgorithm::HmacSha256).unwrap()];
        let checks = SecretChecks::default();
        assert!(checks.check("k", "right", &hashes, 100).unwrap());
        assert!(!checks.check("k", "wrong", &hashes, 100).unwrap());
        // The remembered answers hold even against an unusable hash list...
        let key = |secret: &str| [b"k\0".as_slice(), secret.as_bytes(), b"\0", hashes[0].as_bytes()].concat();
        assert!(checks.passed.get(&key("right"), 101).is_some() && checks.failed.get(&key("wrong"), 101).is_some());
        // ...and a changed hash is checked anew.
        assert!(checks.check("k", "right", &["$bad".into()], 100).is_err());
    }

    #[test]
    fn any_hash_of_a_set_matches() {
        let hashes: Vec<String> = ["a", "b"].iter().map(|s| hash_secret(s.as_bytes(), HashAlgorithm::HmacSha256).unwrap()).collect();
        let checks = SecretChecks::default();
        assert!(checks.check("k", "b", &hashes, 1).unwrap() && checks.check("k", "a", &hashes, 1).unwrap());
        assert!(!checks.check("k", "c", &hashes, 1).unwrap());
    }

    #[test]
    fn the_stand_in_is_the_costliest_hash() {
        let cheap = hash_secret(b"key", HashAlgorithm::HmacSha256).unwrap();
        let dear = hash_secret(b"pw", HashAlgorithm::Pbkdf2Sha256 { iterations: 10_000 }).unwrap();
        let hashes = [cheap.clone(), dear.clone(), cheap];
        assert_eq!(stand_in(&hashes), Some(&dear));
        assert!(matches_any(b"pw", &hashes).unwrap() && !matches_any(b"nope", &hashes).unwrap());
        assert!(matches_any(b"pw", &["plaintext".into()]).is_err());
    }
}
