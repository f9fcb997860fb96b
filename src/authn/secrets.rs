//! Checking presented secrets (static keys, service tokens, Basic passwords)
//! against stored hashes, paying the hash once per secret and TTL.
//!
//! Both outcomes are remembered per isolate, keyed by a hash of who, secret
//! and stored hashes together (so a changed hash is checked anew): a secret
//! that verified costs no second PBKDF2 or bcrypt, and neither does a retried
//! wrong one. A set of several hashes is checked against every one of them,
//! without stopping at the first match, so timing does not tell which matched.

use crate::apikey::VerifiedCache;
use crate::secret_hash::{check_stored_hash, verify_secret};
use crate::{Error, Result};
use std::collections::BTreeMap;

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
        let mut matched = false;
        for hash in hashes {
            matched |= verify_secret(secret.as_bytes(), hash)?;
        }
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
pub(crate) fn stand_in<'a>(hashes: impl IntoIterator<Item = &'a String>) -> Option<&'a String> {
    hashes.into_iter().max_by_key(|stored| crate::secret_hash::work(stored).unwrap_or(0))
}

/// Named stored hashes (Basic users, or key sets) for hosts that check
/// secrets themselves: the npm package's `StoredSecrets`. Every hash is
/// validated when made; checks are remembered as [`SecretChecks`] does; a
/// name's hashes are all checked, none skipped; and a secret presented for an
/// unknown name is checked against the costliest hash, then refused.
pub struct StoredSecrets {
    hashes: BTreeMap<String, Vec<String>>,
    stand_in: Option<String>,
    checks: SecretChecks,
}

impl StoredSecrets {
    /// `hashes` by name; [`Error::HashInvalid`] for an unusable hash or a name without one.
    pub fn new(hashes: BTreeMap<String, Vec<String>>) -> Result<StoredSecrets> {
        for stored in hashes.values() {
            if stored.is_empty() {
                return Err(Error::HashInvalid("a name has no stored hash"));
            }
            stored.iter().try_for_each(|hash| check_stored_hash(hash))?;
        }
        let stand_in = stand_in(hashes.values().flatten()).cloned();
        Ok(StoredSecrets { hashes, stand_in, checks: SecretChecks::default() })
    }

    /// Whether `secret`, presented for `name`, matches one of its hashes.
    pub fn verify(&self, name: &str, secret: &str, now: u64) -> Result<bool> {
        match (self.hashes.get(name), &self.stand_in) {
            (Some(hashes), _) => self.checks.check(name, secret, hashes, now),
            (None, Some(stand_in)) => self.checks.check("", secret, std::slice::from_ref(stand_in), now).map(|_| false),
            (None, None) => Ok(false),
        }
    }
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
    fn stored_secrets_refuse_unknown_names_after_the_same_work() {
        let hash = |s: &str| hash_secret(s.as_bytes(), HashAlgorithm::Pbkdf2Sha256 { iterations: 10_000 }).unwrap();
        let cheap = hash_secret(b"key", HashAlgorithm::HmacSha256).unwrap();
        let secrets = StoredSecrets::new(BTreeMap::from([("alice".into(), vec![hash("pw")]), ("keys".into(), vec![cheap])])).unwrap();
        assert!(secrets.verify("alice", "pw", 1).unwrap() && secrets.verify("keys", "key", 1).unwrap());
        assert!(!secrets.verify("alice", "key", 1).unwrap());
        // The stand-in is alice's PBKDF2 hash, and even its password opens nothing.
        assert!(!secrets.verify("mallory", "pw", 1).unwrap());
        assert!(secrets.checks.remembers("", "pw", &[secrets.stand_in.clone().unwrap()], 1));
        assert!(StoredSecrets::new(BTreeMap::from([("a".into(), vec!["plaintext".into()])])).is_err());
        assert!(StoredSecrets::new(BTreeMap::from([("a".into(), vec![])])).is_err());
    }
}
