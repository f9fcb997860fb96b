//! Encryption of secrets at rest (private signing keys in Workers KV).
//!
//! AES-256-GCM under a key-encryption key (KEK) held as a Worker secret. A
//! sealed value is `v1.<nonce>.<ciphertext and tag>` in base64url, with a fresh
//! random 96-bit nonce each time. The associated data names what the value is
//! (for example `signing-key:<kid>`), so a value copied under another name, or
//! altered in any bit, does not open.

use crate::b64;
use crate::error::{Error, Result};
use crate::random;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};

const VERSION: &str = "v1";

/// A key-encryption key.
pub struct Kek(LessSafeKey);

impl Kek {
    /// A KEK from 32 bytes in base64url (how it is kept in a Worker secret).
    pub fn from_base64url(text: &str) -> Result<Kek> {
        let unusable = Error::AtRestInvalid("the key-encryption key must be 32 bytes in base64url");
        let bytes = b64::decode(text.trim()).ok_or(unusable.clone())?;
        let key = UnboundKey::new(&AES_256_GCM, &bytes).map_err(|_| unusable)?;
        Ok(Kek(LessSafeKey::new(key)))
    }

    /// A fresh random KEK in base64url.
    pub fn generate() -> Result<String> {
        Ok(b64::encode(random::bytes::<32>()?))
    }

    /// Encrypts `plaintext`, bound to the name `context`.
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Result<String> {
        let nonce = random::bytes::<NONCE_LEN>()?;
        let mut sealed = plaintext.to_vec();
        self.0
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(context), &mut sealed)
            .map_err(|_| Error::AtRestInvalid("encryption failed"))?;
        Ok(format!("{VERSION}.{}.{}", b64::encode(nonce), b64::encode(sealed)))
    }

    /// Decrypts a value sealed under the name `context`.
    pub fn open(&self, context: &str, sealed: &str) -> Result<Vec<u8>> {
        let unreadable = Error::AtRestInvalid("a value encrypted at rest does not open with this key and name");
        let mut parts = sealed.split('.');
        let (Some(VERSION), Some(nonce), Some(body), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(unreadable);
        };
        let nonce = b64::decode(nonce).and_then(|n| Nonce::try_assume_unique_for_key(&n).ok());
        let (Some(nonce), Some(mut body)) = (nonce, b64::decode(body)) else { return Err(unreadable) };
        let plaintext = self.0.open_in_place(nonce, Aad::from(context), &mut body).map_err(|_| unreadable)?;
        Ok(plaintext.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kek() -> Kek {
        Kek::from_base64url(&Kek::generate().unwrap()).unwrap()
    }

    #[test]
    fn seals_and_opens() {
        let kek = kek();
        let sealed = kek.seal("signing-key:a", b"private").unwrap();
        assert!(sealed.starts_with("v1."));
        assert_ne!(kek.seal("signing-key:a", b"private").unwrap(), sealed, "fresh nonce each time");
        assert_eq!(kek.open("signing-key:a", &sealed).unwrap(), b"private");
    }

    #[test]
    fn refuses_another_name_another_key_and_any_change() {
        let kek = kek();
        let sealed = kek.seal("signing-key:a", b"private").unwrap();
        let unreadable = Error::AtRestInvalid("a value encrypted at rest does not open with this key and name");
        assert_eq!(kek.open("signing-key:b", &sealed).unwrap_err(), unreadable);
        assert_eq!(self::kek().open("signing-key:a", &sealed).unwrap_err(), unreadable);
        let mut flipped = sealed.clone().into_bytes();
        let last = flipped.len() - 2;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(kek.open("signing-key:a", std::str::from_utf8(&flipped).unwrap()).unwrap_err(), unreadable);
        for garbage in ["", "v1", "v2.AAAA.AAAA", "v1..", "v1.AAAA.AAAA.AAAA", "v1.!!.??"] {
            assert_eq!(kek.open("signing-key:a", garbage).unwrap_err().code(), "ERR_AT_REST_INVALID");
        }
    }

    #[test]
    fn refuses_a_kek_of_the_wrong_size() {
        for bad in ["", "AAAA", &b64::encode([0u8; 31]), &b64::encode([0u8; 33])] {
            assert!(Kek::from_base64url(bad).is_err());
        }
    }
}
