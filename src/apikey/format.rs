//! The API key format, and making new keys.
//!
//! A key reads `<prefix>_<key id>_<secret><checksum>`, for example
//! `eak_4fK2sX9qLmN7pR1t_<43 characters of secret><6 of checksum>`:
//!
//! - `<prefix>`: 1 to 32 lowercase ASCII letters and digits, starting with a
//!   letter (default [`DEFAULT_API_KEY_PREFIX`]), so that secret scanners can
//!   recognise leaked keys;
//! - `<key id>`: 16 base62 characters (about 95 random bits), the key's name in
//!   the store, read with a single lookup; not secret;
//! - `<secret>`: 43 base62 characters, 256 random bits (62^43 > 2^256);
//! - `<checksum>`: 6 base62 characters, the first 32 bits (big-endian) of
//!   SHA-256 of everything before it, zero-padded; a mistyped or made-up key
//!   fails it, and is refused before any store read.
//!
//! Base62 is `0-9A-Za-z`, so a key is a single word to editors and terminals.
//! What is stored is the `$hmac-sha256$` hash of the whole key: the key itself
//! is shown once, when it is made, and never kept.

use crate::random;
use crate::secret_hash::{ct, hash_secret, HashAlgorithm};
use crate::{Error, Result};
use ring::digest;
use std::fmt;

/// The prefix of keys made by a default [`ApiKeyFormat`].
pub const DEFAULT_API_KEY_PREFIX: &str = "eak";

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const MAX_PREFIX_LEN: usize = 32;
const KEY_ID_LEN: usize = 16;
const SECRET_LEN: usize = 43;
const CHECKSUM_LEN: usize = 6;
/// `_<key id>_<secret><checksum>`
const AFTER_PREFIX_LEN: usize = 1 + KEY_ID_LEN + 1 + SECRET_LEN + CHECKSUM_LEN;
/// Random bytes at or above this are dropped, so that every character is equally likely.
const UNBIASED_BELOW: u8 = 248;

/// The key format of one deployment: its prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyFormat {
    prefix: String,
}

/// A newly made key: `token` is given to the client once; `key_id` and `hash` are stored.
#[derive(Clone, PartialEq, Eq)]
pub struct GeneratedApiKey {
    pub token: String,
    pub key_id: String,
    pub hash: String,
}

impl fmt::Debug for GeneratedApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedApiKey").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

impl Default for ApiKeyFormat {
    fn default() -> Self {
        ApiKeyFormat { prefix: DEFAULT_API_KEY_PREFIX.to_owned() }
    }
}

impl ApiKeyFormat {
    /// A format with the given prefix: 1 to 32 lowercase letters and digits,
    /// starting with a letter.
    pub fn new(prefix: &str) -> Result<Self> {
        let mut chars = prefix.bytes();
        let starts_with_letter = chars.next().is_some_and(|b| b.is_ascii_lowercase());
        let rest_ok = chars.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if !starts_with_letter || !rest_ok || prefix.len() > MAX_PREFIX_LEN {
            return Err(Error::CredentialMalformed(
                "an API key prefix is 1 to 32 lowercase letters and digits, starting with a letter",
            ));
        }
        Ok(ApiKeyFormat { prefix: prefix.to_owned() })
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Makes a new key with fresh random key id and secret, and its hash.
    pub fn generate(&self) -> Result<GeneratedApiKey> {
        let key_id = random_base62(KEY_ID_LEN)?;
        let body = format!("{}_{key_id}_{}", self.prefix, random_base62(SECRET_LEN)?);
        let token = format!("{body}{}", checksum(&body));
        let hash = hash_secret(token.as_bytes(), HashAlgorithm::HmacSha256)?;
        Ok(GeneratedApiKey { token, key_id, hash })
    }

    /// Checks a presented key's shape, prefix and checksum, and returns its key id.
    pub fn parse<'a>(&self, token: &'a str) -> Result<&'a str> {
        if token.len() != self.token_len() {
            return Err(Error::CredentialMalformed("API key has the wrong length"));
        }
        let rest = token.strip_prefix(self.prefix.as_str()).and_then(|rest| rest.strip_prefix('_'));
        let rest = rest.ok_or(Error::CredentialMalformed("API key has the wrong prefix"))?;
        let (key_id, tail) = rest.split_once('_').ok_or(malformed())?;
        if key_id.len() != KEY_ID_LEN || !is_base62(key_id) || !is_base62(tail) {
            return Err(malformed());
        }
        let split = token.len().checked_sub(CHECKSUM_LEN).ok_or(malformed())?;
        let (body, given) = token.split_at_checked(split).ok_or(malformed())?;
        if !ct::equal(checksum(body).as_bytes(), given.as_bytes()) {
            return Err(Error::CredentialMalformed("API key checksum does not match"));
        }
        Ok(key_id)
    }

    fn token_len(&self) -> usize {
        self.prefix.len().saturating_add(AFTER_PREFIX_LEN)
    }
}

/// `len` uniformly random base62 characters.
fn random_base62(len: usize) -> Result<String> {
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        random::fill(&mut buf)?;
        let chars = buf.iter().filter(|&&b| b < UNBIASED_BELOW).filter_map(|&b| base62(b % 62));
        out.extend(chars.take(len.saturating_sub(out.len())));
    }
    Ok(out)
}

/// The checksum of a key's body, in base62, zero-padded to its fixed width.
fn checksum(body: &str) -> String {
    let sha = digest::digest(&digest::SHA256, body.as_bytes());
    let mut n = sha.as_ref().first_chunk::<4>().map_or(0, |b| u32::from_be_bytes(*b));
    let mut digits = Vec::with_capacity(CHECKSUM_LEN);
    for _ in 0..CHECKSUM_LEN {
        digits.extend(u8::try_from(n % 62).ok().and_then(base62));
        n /= 62;
    }
    digits.iter().rev().collect()
}

fn base62(index: u8) -> Option<char> {
    BASE62.get(usize::from(index)).map(|&b| char::from(b))
}

fn is_base62(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn malformed() -> Error {
    Error::CredentialMalformed("API key is malformed")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret_hash::verify_secret;

    #[test]
    fn generates_keys_that_parse_and_verify() {
        let format = ApiKeyFormat::new("acme2").unwrap();
        let key = format.generate().unwrap();
        assert_eq!(key.token.len(), 5 + 1 + 16 + 1 + 43 + 6);
        assert!(key.token.starts_with(&format!("acme2_{}_", key.key_id)));
        assert_eq!(format.parse(&key.token).unwrap(), key.key_id);
        assert!(key.hash.starts_with("$hmac-sha256$"));
        assert!(verify_secret(key.token.as_bytes(), &key.hash).unwrap());
        assert!(!format!("{key:?}").contains(&key.token));
    }

    #[test]
    fn generates_distinct_keys() {
        let format = ApiKeyFormat::default();
        let (a, b) = (format.generate().unwrap(), format.generate().unwrap());
        assert_ne!(a.key_id, b.key_id);
        assert_ne!(a.token, b.token);
    }

    #[test]
    fn checksum_is_fixed_width_base62() {
        for body in ["", "eak_a_b", "x"] {
            let sum = checksum(body);
            assert_eq!(sum.len(), CHECKSUM_LEN);
            assert!(is_base62(&sum));
        }
        assert_eq!(checksum("abc"), checksum("abc"));
        assert_ne!(checksum("abc"), checksum("abd"));
    }

    #[test]
    fn refuses_mistyped_and_made_up_keys() {
        let format = ApiKeyFormat::default();
        let token = format.generate().unwrap().token;
        let flip = |i: usize| {
            let mut bytes = token.clone().into_bytes();
            bytes[i] = if bytes[i] == b'a' { b'b' } else { b'a' };
            String::from_utf8(bytes).unwrap()
        };
        let cases = [
            String::new(),
            flip(10),
            flip(30),
            flip(token.len() - 1),
            token.replacen("eak_", "xyz_", 1),
            token.replacen("eak_", "EAK_", 1),
            format!("{token} "),
            format!(" {}", &token[1..]),
            token[..token.len() - 1].to_owned(),
            token.replace('_', "-"),
            format!("{}\u{e9}", &token[..token.len() - 2]),
            format!("eak_{}", "_".repeat(token.len() - 4)),
        ];
        for bad in cases {
            let err = format.parse(&bad).unwrap_err();
            assert_eq!(err.code(), "ERR_CREDENTIAL_MALFORMED", "{bad:?}");
        }
    }

    #[test]
    fn refuses_bad_prefixes() {
        for bad in ["", "Eak", "1ab", "a_b", "a-b", "\u{e9}", &"a".repeat(33)] {
            assert!(ApiKeyFormat::new(bad).is_err(), "{bad:?}");
        }
        assert_eq!(ApiKeyFormat::new(&"a".repeat(32)).unwrap().prefix().len(), 32);
    }
}
