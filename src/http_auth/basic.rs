//! `Authorization: Basic <base64(user-id:password)>` (RFC 7617), read strictly.
//!
//! The credentials must be canonical padded base64 of UTF-8 text (the only
//! charset RFC 7617 names), with a non-empty user-id, a colon (the first one
//! ends the user-id), and no control characters anywhere. The password is
//! never shown by `Debug`.

use crate::secret_hash::verify_secret;
use crate::{Error, Result};
use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use std::fmt;

const BASE64: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(false),
);

/// A user-id and password presented with Basic auth.
#[derive(Clone, PartialEq, Eq)]
pub struct BasicCredentials {
    pub user_id: String,
    pub password: String,
}

impl fmt::Debug for BasicCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicCredentials").field("user_id", &self.user_id).finish_non_exhaustive()
    }
}

impl BasicCredentials {
    /// Whether the password matches the user's stored hash (PBKDF2, bcrypt, ...).
    pub fn verify(&self, stored: &str) -> Result<bool> {
        verify_secret(self.password.as_bytes(), stored)
    }
}

/// The credentials of an `Authorization` header value.
pub fn parse_basic(authorization: &str) -> Result<BasicCredentials> {
    let encoded = super::credentials(authorization, "Basic")?;
    let decoded =
        BASE64.decode(encoded).map_err(|_| malformed("Basic credentials are not valid base64"))?;
    let text =
        String::from_utf8(decoded).map_err(|_| malformed("Basic credentials are not UTF-8"))?;
    if text.chars().any(char::is_control) {
        return Err(malformed("Basic credentials contain control characters"));
    }
    let (user_id, password) =
        text.split_once(':').ok_or(malformed("Basic credentials lack the colon"))?;
    if user_id.is_empty() {
        return Err(malformed("Basic credentials have an empty user-id"));
    }
    Ok(BasicCredentials { user_id: user_id.to_owned(), password: password.to_owned() })
}

fn malformed(message: &'static str) -> Error {
    Error::CredentialMalformed(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret_hash::{hash_secret, HashAlgorithm, MIN_PBKDF2_ITERATIONS};

    fn basic(text: &[u8]) -> String {
        format!("Basic {}", BASE64.encode(text))
    }

    #[test]
    fn reads_user_and_password() {
        // RFC 7617 section 2's example: Aladdin / open sesame.
        let creds = parse_basic("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==").unwrap();
        assert_eq!((creds.user_id.as_str(), creds.password.as_str()), ("Aladdin", "open sesame"));
        assert!(!format!("{creds:?}").contains("sesame"));
        let creds = parse_basic(&basic("us\u{e9}r:pa:ss:".as_bytes())).unwrap();
        assert_eq!((creds.user_id.as_str(), creds.password.as_str()), ("us\u{e9}r", "pa:ss:"));
        assert_eq!(parse_basic("basic dTo=").unwrap().password, "");
    }

    #[test]
    fn refuses_malformed_values() {
        for bad in [
            "".to_owned(),
            "Basic".to_owned(),
            "Basic  QWxhZGRpbjpvcGVuIHNlc2FtZQ==".to_owned(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ== ".to_owned(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ".to_owned(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZR==".to_owned(),
            "Basic QWxhZGRp-jpvcGVuIHNlc2FtZQ==".to_owned(),
            "Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ==".to_owned(),
            basic(b"no colon here"),
            basic(b":password only"),
            basic(b"user:tab\there"),
            basic(b"user\n:x"),
            basic(b"user:\xff\xfe"),
            format!("Basic {}", "QUFB".repeat(3000)),
        ] {
            assert_eq!(
                parse_basic(&bad).unwrap_err().code(),
                "ERR_CREDENTIAL_MALFORMED",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn verifies_the_password_against_a_stored_hash() {
        let stored = hash_secret(
            b"open sesame",
            HashAlgorithm::Pbkdf2Sha256 { iterations: MIN_PBKDF2_ITERATIONS },
        )
        .unwrap();
        assert!(parse_basic("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
            .unwrap()
            .verify(&stored)
            .unwrap());
        assert!(!parse_basic(&basic(b"Aladdin:open sesame!")).unwrap().verify(&stored).unwrap());
        let bcrypt = "$2y$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i";
        assert!(parse_basic(&basic(b"u:abc")).unwrap().verify(bcrypt).unwrap());
    }
}
