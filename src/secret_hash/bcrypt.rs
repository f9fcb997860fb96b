//! bcrypt verification (`$2a$`, `$2b$`, `$2y$`), for htpasswd-style password files.
//!
//! The stored form is the modular crypt format: `$2b$<two-digit cost>$` then 22
//! characters of salt and 31 of hash in bcrypt's own base64 alphabet (60
//! characters in all). The expensive Blowfish key schedule comes from the
//! `bcrypt` crate; this module only reads the format and prepares the key as
//! OpenBSD does: the password truncated to 72 bytes, with its terminating NUL
//! while there is room for it.
//!
//! `$2a$`, `$2b$` and `$2y$` are verified alike, as OpenBSD, Go and Python do.
//! (crypt_blowfish gives `$2a$` a safety twist for some passwords with bytes
//! 0x80 and above, so such `$2a$` hashes made by glibc or PHP may not verify.)
//! `$2x$`, crypt_blowfish's deliberately buggy mode, is refused, and so is a
//! cost above [`MAX_BCRYPT_COST`], which bounds the CPU a hostile hash can burn.
//! The comparison is constant-time.

use super::ct;
use crate::{Error, Result};
use base64::alphabet::BCRYPT;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

/// The highest cost accepted: 2^12 rounds, about 0.4 s natively, close to the
/// PBKDF2 bound; 10 to 12 are the usual defaults of bcrypt tools.
pub const MAX_BCRYPT_COST: u32 = 12;

/// bcrypt's own minimum cost.
const MIN_COST: u32 = 4;
const STORED_LEN: usize = 60;
const SALT_CHARS: usize = 22;
const KEY_LEN: usize = 72;
const HASH_LEN: usize = 23;

/// Stored hashes from some tools leave stray bits after the last character.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &BCRYPT,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// A parsed bcrypt hash.
pub(super) struct Bcrypt {
    cost: u32,
    salt: [u8; 16],
    hash: [u8; HASH_LEN],
}

impl Bcrypt {
    pub(super) fn cost(&self) -> u32 {
        self.cost
    }

    /// Parses a stored hash that starts with `$2`.
    pub(super) fn parse(stored: &str) -> Result<Self> {
        let fields: Vec<&str> = stored.split('$').collect();
        let ["", version, cost, body] = fields.as_slice() else {
            return Err(malformed());
        };
        let two_digits = cost.len() == 2 && cost.bytes().all(|b| b.is_ascii_digit());
        if stored.len() != STORED_LEN || !two_digits {
            return Err(malformed());
        }
        if !["2a", "2b", "2y"].contains(version) {
            return Err(Error::HashInvalid("bcrypt version must be 2a, 2b or 2y"));
        }
        let cost: u32 = cost.parse().map_err(|_| malformed())?;
        if !(MIN_COST..=MAX_BCRYPT_COST).contains(&cost) {
            return Err(Error::HashInvalid("bcrypt cost is outside the allowed range"));
        }
        let (salt, hash) = body.split_at_checked(SALT_CHARS).ok_or(malformed())?;
        Ok(Bcrypt { cost, salt: decode(salt)?, hash: decode(hash)? })
    }

    pub(super) fn matches(&self, secret: &[u8]) -> bool {
        let mut key = [0u8; KEY_LEN];
        key.iter_mut().zip(secret).for_each(|(k, s)| *k = *s);
        // The NUL terminator counts while it fits; 1..=72 bytes, as bcrypt requires.
        let used = secret.len().saturating_add(1).min(KEY_LEN);
        let Some(key) = key.get(..used) else {
            return false;
        };
        let output = ::bcrypt::bcrypt(self.cost, self.salt, key);
        output.get(..HASH_LEN).is_some_and(|out| ct::equal(out, &self.hash))
    }
}

/// Decodes a salt or hash field into exactly `N` bytes.
fn decode<const N: usize>(field: &str) -> Result<[u8; N]> {
    let bytes = BASE64.decode(field).map_err(|_| malformed())?;
    bytes.try_into().map_err(|_| malformed())
}

fn malformed() -> Error {
    Error::HashInvalid("stored bcrypt hash is malformed")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Vector {
        password: String,
        hash: String,
    }

    #[derive(Deserialize)]
    struct Vectors {
        vectors: Vec<Vector>,
    }

    fn verify(secret: &[u8], stored: &str) -> bool {
        Bcrypt::parse(stored).unwrap().matches(secret)
    }

    #[test]
    fn verifies_the_jbcrypt_vectors() {
        let file = include_str!("../../tests/vectors/bcrypt/jbcrypt.json");
        let vectors: Vectors = serde_json::from_str(file).unwrap();
        assert!(vectors.vectors.len() >= 8);
        for v in &vectors.vectors {
            assert!(verify(v.password.as_bytes(), &v.hash), "{}", v.hash);
            let wrong = format!("{}x", v.password);
            assert!(!verify(wrong.as_bytes(), &v.hash), "{}", v.hash);
        }
    }

    #[test]
    fn verifies_crypt_blowfish_eight_bit_vectors() {
        // From crypt_blowfish's test vectors (wrapper.c), checked against libxcrypt.
        let high = "$2y$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq";
        assert!(verify(b"\xa3", high));
        let three = "$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e";
        assert!(verify(b"\xff\xff\xa3", three));
        assert!(verify(b"\xff\xff\xa3", &three.replacen("$2y$", "$2b$", 1)));
        assert!(!verify(b"\xa3", three));
    }

    #[test]
    fn treats_2a_2b_2y_alike_and_truncates_at_72_bytes() {
        let abc = "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i";
        for version in ["$2b$", "$2y$"] {
            assert!(verify(b"abc", &abc.replacen("$2a$", version, 1)));
        }
        // Computed with libxcrypt's crypt(3) for 72 times "x".
        let long = "$2b$05$CCCCCCCCCCCCCCCCCCCCC.D7RDOYXakZhsFmh/LdqQNx0kQ424AFS";
        assert!(verify(&[b'x'; 72], long));
        assert!(verify(&[b'x'; 100], long));
        assert!(!verify(&[b'x'; 71], long));
    }

    #[test]
    fn refuses_malformed_and_out_of_bounds_hashes() {
        let good = "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i";
        for bad in [
            "$2x$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i",
            "$2$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0iX",
            "$2c$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i",
            "$2a$03$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i",
            "$2a$13$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i",
            "$2a$31$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i",
            "$2a$+6$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i",
            "$2a$6$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0iX",
            "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0",
            "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i=",
            "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf+iqN8.yx.jNN1ILEf7h0i",
            "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h\u{e9}",
            "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf$iqN8.yx.jNN1ILEf7h0i",
            "$2a$06$",
        ] {
            assert!(matches!(Bcrypt::parse(bad), Err(Error::HashInvalid(_))), "{bad:?}");
        }
        assert!(Bcrypt::parse(good).is_ok());
    }
}
