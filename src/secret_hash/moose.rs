//! Moose compatibility: the hashes that `moose generate hash-token` prints.
//!
//! Moose's bearer token is `<32 hex>.<32 hex>`: a token part, a dot, a salt
//! part. The stored value (its `MOOSE_*_API_KEY` variables) is 40 hex digits:
//! PBKDF2-HMAC-SHA256 with the token part's text as the password, the salt
//! part's text as the salt, 1,000 iterations and 20 bytes of output. A stored
//! value is recognised as Moose's by being exactly 40 hex digits (either
//! case). A presented secret not of the token's shape simply does not match.
//! 1,000 iterations is below what [`super::pbkdf2`] accepts; it is allowed
//! here only because Moose's token parts are 128 random bits, not something a
//! person chose.

use super::{hex, pbkdf2};
use std::num::NonZeroU32;

const ITERATIONS: NonZeroU32 = NonZeroU32::MIN.saturating_add(999);
const HASH_HEX_LEN: usize = 40;
const PART_LEN: usize = 32;

/// A parsed Moose hash.
pub(super) struct Moose {
    hash: Vec<u8>,
}

impl Moose {
    /// Parses `stored` if it has a Moose hash's shape (exactly 40 hex digits).
    pub(super) fn parse(stored: &str) -> Option<Self> {
        let hash = hex::decode(stored).filter(|_| stored.len() == HASH_HEX_LEN)?;
        Some(Moose { hash })
    }

    pub(super) fn matches(&self, secret: &[u8]) -> bool {
        token_parts(secret)
            .is_some_and(|(token, salt)| pbkdf2::matches(ITERATIONS, salt, token, &self.hash))
    }
}

/// Splits `<32 hex>.<32 hex>` into its token and salt parts.
fn token_parts(secret: &[u8]) -> Option<(&[u8], &[u8])> {
    let (token, rest) = secret.split_at_checked(PART_LEN)?;
    let salt = rest.strip_prefix(b".")?;
    let is_part = |part: &[u8]| part.len() == PART_LEN && part.iter().all(u8::is_ascii_hexdigit);
    (is_part(token) && is_part(salt)).then_some((token, salt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::pbkdf2::{derive, PBKDF2_HMAC_SHA256};

    fn verify(secret: &str, stored: &str) -> bool {
        Moose::parse(stored).unwrap().matches(secret.as_bytes())
    }

    #[test]
    fn verifies_a_hash_computed_by_python_hashlib() {
        // hashlib.pbkdf2_hmac('sha256', token.encode(), salt.encode(), 1000, 20).hex()
        let token = "5f1e1c0f4b7a4a6e9d3c2b1a09f8e7d6.a1b2c3d4e5f60718293a4b5c6d7e8f90";
        let stored = "7d1d9a92796c577c27bcd76a6f4c81f1686fb89d";
        assert!(verify(token, stored));
        assert!(verify(token, &stored.to_uppercase()));
        assert!(!verify(
            "5f1e1c0f4b7a4a6e9d3c2b1a09f8e7d6.a1b2c3d4e5f60718293a4b5c6d7e8f91",
            stored
        ));
    }

    #[test]
    fn verifies_a_token_hashed_the_way_moose_does() {
        let (token, salt) =
            ("00112233445566778899aabbccddeeff", "ffeeddccbbaa99887766554433221100");
        let mut out = [0u8; 20];
        derive(PBKDF2_HMAC_SHA256, ITERATIONS, salt.as_bytes(), token.as_bytes(), &mut out);
        let stored: String = out.iter().map(|b| format!("{b:02x}")).collect();
        assert!(verify(&format!("{token}.{salt}"), &stored));
        assert!(!verify(&format!("{salt}.{token}"), &stored));
    }

    #[test]
    fn presented_secrets_of_another_shape_do_not_match() {
        let stored = "7d1d9a92796c577c27bcd76a6f4c81f1686fb89d";
        let good = "5f1e1c0f4b7a4a6e9d3c2b1a09f8e7d6.a1b2c3d4e5f60718293a4b5c6d7e8f90";
        for bad in [
            "",
            ".",
            &good[..64],
            &format!("{good}0"),
            &good.replace('.', ":"),
            &good.replacen('5', "g", 1),
            &format!("{good} "),
        ] {
            assert!(!verify(bad, stored), "{bad:?}");
        }
    }

    #[test]
    fn recognises_only_forty_hex_digits() {
        assert!(Moose::parse("7d1d9a92796c577c27bcd76a6f4c81f1686fb89d").is_some());
        for other in [
            "7d1d9a92796c577c27bcd76a6f4c81f1686fb89",
            "7d1d9a92796c577c27bcd76a6f4c81f1686fb89d0",
            "7d1d9a92796c577c27bcd76a6f4c81f1686fb89z",
            "",
        ] {
            assert!(Moose::parse(other).is_none(), "{other:?}");
        }
    }
}
