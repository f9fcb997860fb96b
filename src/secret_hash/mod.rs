//! Self-describing hashes of secrets, and one function that verifies them all.
//!
//! Secrets are never stored, only hashes that name their own algorithm:
//!
//! | stored value | algorithm | for |
//! |---|---|---|
//! | `$hmac-sha256$<salt>$<mac>` | HMAC-SHA256 keyed by a random salt | generated high-entropy secrets (API keys) |
//! | `$pbkdf2-sha256$i=<n>$<salt>$<hash>` | PBKDF2-HMAC-SHA256 | secrets people choose |
//! | `$2a$`, `$2b$`, `$2y$` (60 characters) | bcrypt, verification only | htpasswd-style files |
//! | 40 hex digits | Moose's `hash-token`, verification only | keys issued by Moose |
//!
//! The first two are PHC strings whose salt and hash are the PHC
//! specification's B64: standard base64 (RFC 4648 section 4) without padding,
//! read canonically. [`hash_secret`] writes them with a fresh 16-byte salt;
//! [`verify_secret`] recognises every format.
//!
//! Guarantees:
//! - every comparison runs in constant time, whatever the lengths;
//! - a stored hash is fully validated before any hashing, and its cost
//!   (PBKDF2 iterations, bcrypt cost) must lie within hard bounds, so that a
//!   hostile or mistyped hash cannot burn the CPU budget: anything else is
//!   [`Error::HashInvalid`], a configuration error;
//! - error messages never contain a secret or a hash.

mod bcrypt;
pub(crate) mod ct;
mod hex;
mod hmac_sha256;
mod moose;
mod pbkdf2;
mod phc;

pub use self::bcrypt::MAX_BCRYPT_COST;
pub use self::pbkdf2::{DEFAULT_PBKDF2_ITERATIONS, MAX_PBKDF2_ITERATIONS, MIN_PBKDF2_ITERATIONS};

use self::bcrypt::Bcrypt;
use self::hmac_sha256::HmacSha256;
use self::moose::Moose;
use self::pbkdf2::Pbkdf2;
use crate::random;
use crate::{Error, Result};

/// The longest secret hashed or verified, in bytes.
pub const MAX_SECRET_LEN: usize = 4096;

/// The longest stored hash read; every supported format is far shorter.
const MAX_STORED_LEN: usize = 256;

/// The salt length of the hashes [`hash_secret`] writes.
const SALT_LEN: usize = 16;

/// How [`hash_secret`] hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlgorithm {
    /// `$hmac-sha256$`: one salted HMAC-SHA256. Only for generated secrets with
    /// at least 128 random bits, such as API keys.
    HmacSha256,
    /// `$pbkdf2-sha256$`: PBKDF2-HMAC-SHA256 with an iteration count between
    /// [`MIN_PBKDF2_ITERATIONS`] and [`MAX_PBKDF2_ITERATIONS`].
    Pbkdf2Sha256 { iterations: u32 },
}

impl Default for HashAlgorithm {
    /// PBKDF2 at [`DEFAULT_PBKDF2_ITERATIONS`], safe for any secret.
    fn default() -> Self {
        HashAlgorithm::Pbkdf2Sha256 { iterations: DEFAULT_PBKDF2_ITERATIONS }
    }
}

/// Hashes `secret` with a fresh random salt into a self-describing string.
pub fn hash_secret(secret: &[u8], algorithm: HashAlgorithm) -> Result<String> {
    check_secret_len(secret)?;
    let salt = random::bytes::<SALT_LEN>()?;
    match algorithm {
        HashAlgorithm::HmacSha256 => Ok(hmac_sha256::hash(secret, &salt)),
        HashAlgorithm::Pbkdf2Sha256 { iterations } => pbkdf2::hash(secret, &salt, iterations),
    }
}

/// Whether `secret` matches `stored`, in any format of this module.
///
/// `Ok(false)` is a wrong secret; [`Error::HashInvalid`] a stored hash that is
/// malformed or out of bounds; [`Error::CredentialMalformed`] a secret longer
/// than [`MAX_SECRET_LEN`].
pub fn verify_secret(secret: &[u8], stored: &str) -> Result<bool> {
    let stored = StoredHash::parse(stored)?;
    check_secret_len(secret)?;
    Ok(stored.matches(secret))
}

/// Checks that `stored` is a hash [`verify_secret`] can use, without any
/// hashing: for configuration read at startup.
pub fn check_stored_hash(stored: &str) -> Result<()> {
    StoredHash::parse(stored).map(drop)
}

/// Roughly what checking a secret against `stored` costs, in SHA-256
/// compressions: to pick, among several stored hashes, the costliest one as
/// a stand-in for an unknown user (equal work whether the user exists).
pub fn work(stored: &str) -> Result<u64> {
    Ok(match StoredHash::parse(stored)? {
        StoredHash::HmacSha256(_) => 4,
        StoredHash::Moose(_) => 2 * 1000,
        StoredHash::Pbkdf2(hash) => 2 * u64::from(hash.iterations()),
        // Measured natively: a cost-10 bcrypt takes about as long as 700,000
        // compressions of PBKDF2-HMAC-SHA256.
        StoredHash::Bcrypt(hash) => 700 << hash.cost(),
    })
}

/// A stored hash, parsed and validated.
enum StoredHash {
    HmacSha256(HmacSha256),
    Pbkdf2(Pbkdf2),
    Bcrypt(Bcrypt),
    Moose(Moose),
}

impl StoredHash {
    fn parse(stored: &str) -> Result<Self> {
        if stored.len() > MAX_STORED_LEN {
            return Err(Error::HashInvalid("stored hash is too long"));
        }
        if stored.starts_with("$2") {
            return Bcrypt::parse(stored).map(StoredHash::Bcrypt);
        }
        if stored.starts_with('$') {
            let phc = phc::parse(stored)?;
            return match phc.id {
                hmac_sha256::ID => HmacSha256::from_phc(phc).map(StoredHash::HmacSha256),
                pbkdf2::ID => Pbkdf2::from_phc(phc).map(StoredHash::Pbkdf2),
                _ => Err(Error::HashInvalid("stored hash names an unsupported algorithm")),
            };
        }
        Moose::parse(stored)
            .map(StoredHash::Moose)
            .ok_or(Error::HashInvalid("stored hash is in no recognised format"))
    }

    fn matches(&self, secret: &[u8]) -> bool {
        match self {
            StoredHash::HmacSha256(hash) => hash.matches(secret),
            StoredHash::Pbkdf2(hash) => hash.matches(secret),
            StoredHash::Bcrypt(hash) => hash.matches(secret),
            StoredHash::Moose(hash) => hash.matches(secret),
        }
    }
}

fn check_secret_len(secret: &[u8]) -> Result<()> {
    if secret.len() > MAX_SECRET_LEN {
        return Err(Error::CredentialMalformed("secret is too long"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST_PBKDF2: HashAlgorithm =
        HashAlgorithm::Pbkdf2Sha256 { iterations: MIN_PBKDF2_ITERATIONS };

    #[test]
    fn round_trips_every_written_format() {
        for algorithm in [HashAlgorithm::HmacSha256, FAST_PBKDF2] {
            let stored = hash_secret(b"s3cret", algorithm).unwrap();
            assert!(verify_secret(b"s3cret", &stored).unwrap(), "{stored}");
            assert!(!verify_secret(b"s3cret!", &stored).unwrap(), "{stored}");
            assert!(!verify_secret(b"", &stored).unwrap(), "{stored}");
        }
    }

    #[test]
    fn estimates_the_work_of_each_format() {
        let bcrypt = "$2b$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i";
        let pbkdf2 = hash_secret(b"x", FAST_PBKDF2).unwrap();
        let hmac = hash_secret(b"x", HashAlgorithm::HmacSha256).unwrap();
        let moose = "7d1d9a92796c577c27bcd76a6f4c81f1686fb89d";
        let works: Vec<u64> = [hmac.as_str(), moose, pbkdf2.as_str(), bcrypt].iter().map(|h| work(h).unwrap()).collect();
        assert!(works.windows(2).all(|pair| pair[0] < pair[1]), "{works:?}");
        assert!(work("plaintext").is_err());
    }

    #[test]
    fn salts_every_hash() {
        let a = hash_secret(b"same", HashAlgorithm::HmacSha256).unwrap();
        let b = hash_secret(b"same", HashAlgorithm::HmacSha256).unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn defaults_to_owasp_pbkdf2() {
        assert_eq!(HashAlgorithm::default(), HashAlgorithm::Pbkdf2Sha256 { iterations: 600_000 });
    }

    #[test]
    fn recognises_bcrypt_and_moose() {
        let bcrypt = "$2b$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i";
        assert!(verify_secret(b"abc", bcrypt).unwrap());
        let moose = "7d1d9a92796c577c27bcd76a6f4c81f1686fb89d";
        let token = b"5f1e1c0f4b7a4a6e9d3c2b1a09f8e7d6.a1b2c3d4e5f60718293a4b5c6d7e8f90";
        assert!(verify_secret(token, moose).unwrap());
        assert!(!verify_secret(b"abc", moose).unwrap());
    }

    #[test]
    fn refuses_malformed_stored_hashes_of_every_kind() {
        let long = format!("$pbkdf2-sha256$i=20000$c2FsdHNhbHQ${}", "A".repeat(300));
        for bad in [
            "",
            "plaintext password",
            "$sha256$c2FsdHNhbHQ$aGFzaA",
            "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaA",
            "$pbkdf2-sha256$i=5000000$c2FsdHNhbHQ$c2FsdHNhbHRzYWx0c2FsdA",
            "$pbkdf2-sha256$i=1000$c2FsdHNhbHQ$c2FsdHNhbHRzYWx0c2FsdA",
            "$pbkdf2-sha256$i=20000$c2FsdHNhbHQ",
            "$hmac-sha256$c2FsdHNhbHQ$aGFzaA",
            "$2x$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i",
            "$2b$14$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i",
            "7d1d9a92796c577c27bcd76a6f4c81f1686fb89",
            "7d1d9a92796c577c27bcd76a6f4c81f1686fb89dz",
            "\u{e9}\u{e9}\u{e9}",
            &long,
        ] {
            let err = verify_secret(b"abc", bad).unwrap_err();
            assert_eq!(err.code(), "ERR_HASH_INVALID", "{bad:?}");
            assert!(
                !err.to_string().contains("abc") && !err.to_string().contains("If6bvum7"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn refuses_oversize_secrets() {
        let stored = hash_secret(b"x", HashAlgorithm::HmacSha256).unwrap();
        let huge = vec![b'x'; MAX_SECRET_LEN + 1];
        assert_eq!(verify_secret(&huge, &stored).unwrap_err().code(), "ERR_CREDENTIAL_MALFORMED");
        assert_eq!(
            hash_secret(&huge, HashAlgorithm::HmacSha256).unwrap_err().code(),
            "ERR_CREDENTIAL_MALFORMED"
        );
        assert!(!verify_secret(&huge[1..], &stored).unwrap());
    }

    #[test]
    fn refuses_to_hash_with_out_of_bound_iterations() {
        let algorithm = HashAlgorithm::Pbkdf2Sha256 { iterations: MAX_PBKDF2_ITERATIONS + 1 };
        assert_eq!(hash_secret(b"x", algorithm).unwrap_err().code(), "ERR_HASH_INVALID");
    }
}
