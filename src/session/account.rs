//! What a username and a password must be, checked before any hashing.
//!
//! Usernames: 1 to 64 characters of `a-z A-Z 0-9 . _ @ -` (an e-mail address
//! fits; nothing that needs escaping in a header, a log line or JSON).
//! Passwords: 12 to 1024 bytes of UTF-8, any characters (NIST SP 800-63B:
//! length, not composition); the upper bound caps the hash work one request
//! can ask for.

use crate::{Error, Result};

pub const MIN_PASSWORD_LEN: usize = 12;
pub const MAX_PASSWORD_LEN: usize = 1024;
const MAX_USERNAME_LEN: usize = 64;

/// Usernames compare without regard to case (`Ada` is `ada`): this is the
/// one spelling stored, looked up and forwarded.
pub fn normalized_username(username: &str) -> Result<String> {
    check_username(username).map(|()| username.to_ascii_lowercase())
}

pub fn check_username(username: &str) -> Result<()> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._@-".contains(c);
    match !username.is_empty() && username.len() <= MAX_USERNAME_LEN && username.chars().all(allowed) {
        true => Ok(()),
        false => Err(Error::CredentialMalformed("a username is 1 to 64 of a-z A-Z 0-9 . _ @ -")),
    }
}

pub fn check_password(password: &str) -> Result<()> {
    match (MIN_PASSWORD_LEN..=MAX_PASSWORD_LEN).contains(&password.len()) {
        true => Ok(()),
        false => Err(Error::CredentialMalformed("a password is 12 to 1024 bytes")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_and_passwords_have_bounds() {
        for good in ["a", "ada.lovelace@example.org", "ops_team-2", &"x".repeat(64)] {
            assert!(check_username(good).is_ok(), "{good}");
        }
        for bad in ["", "a b", "a\nb", "ad\u{e9}", "a:b", &"x".repeat(65)] {
            assert!(check_username(bad).is_err(), "{bad:?}");
        }
        assert!(check_password("twelve chars").is_ok() && check_password("eleven char").is_err());
        assert!(check_password(&"p".repeat(1024)).is_ok() && check_password(&"p".repeat(1025)).is_err());
    }
}
