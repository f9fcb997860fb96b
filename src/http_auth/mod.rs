//! Reading credentials out of HTTP requests: `Authorization: Bearer`,
//! `Authorization: Basic`, and service tokens.
//!
//! Pure parsing of text the caller passes in (header values, query strings):
//! nothing here knows about Workers or JavaScript. Guarantees:
//! - an `Authorization` value is `<scheme> <credentials>` with the scheme
//!   matched case-insensitively (RFC 9110 section 11.1), exactly one space, and
//!   credentials in the token68 syntax (RFC 9110 section 11.2): no leading,
//!   trailing or inner whitespace is accepted anywhere;
//! - input longer than [`MAX_CREDENTIAL_LEN`] is refused before any other work;
//! - every malformed input is [`Error::CredentialMalformed`], never a panic, and
//!   no error message contains the credential.
//!
//! Checking what was read is up to [`crate::secret_hash::verify_secret`] (for
//! Basic passwords and service tokens) or [`crate::apikey::ApiKeyVerifier`].

mod basic;
mod bearer;
mod service_token;

pub use basic::{parse_basic, BasicCredentials};
pub use bearer::parse_bearer;
pub use service_token::{
    ServiceTokenSource, DEFAULT_SERVICE_TOKEN_HEADER, SERVICE_TOKEN_QUERY_PARAMETER,
};

use crate::{Error, Result};

/// The longest credential text read: 8 KiB, the usual request header line limit.
pub const MAX_CREDENTIAL_LEN: usize = 8192;

/// The credentials of an `Authorization` value of the given scheme.
fn credentials<'a>(authorization: &'a str, scheme: &str) -> Result<&'a str> {
    check_len(authorization)?;
    let (name, credentials) = authorization
        .split_once(' ')
        .ok_or(Error::CredentialMalformed("authorization lacks a scheme and credentials"))?;
    if !name.eq_ignore_ascii_case(scheme) {
        return Err(Error::CredentialMalformed("authorization scheme is not the expected one"));
    }
    if !is_token68(credentials) {
        return Err(Error::CredentialMalformed("authorization credentials are not token68"));
    }
    Ok(credentials)
}

/// `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`
fn is_token68(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    !body.is_empty() && body.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

fn check_len(text: &str) -> Result<()> {
    if text.len() > MAX_CREDENTIAL_LEN {
        return Err(Error::CredentialMalformed("credential is too long"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_token68() {
        for good in ["a", "A-._~+/9", "abc=", "abc==", "YQ=="] {
            assert!(is_token68(good), "{good:?}");
        }
        for bad in ["", "=", "==", "a=b", "a b", "a\t", "a,b", "a\"", "\u{e9}", "a\u{0}"] {
            assert!(!is_token68(bad), "{bad:?}");
        }
    }
}
