//! `Authorization: Bearer <token>` (RFC 6750 section 2.1), read strictly.
//!
//! The scheme is matched case-insensitively; exactly one space follows it; the
//! token is token68 (RFC 6750's `b64token`) with nothing before or after it.

use crate::Result;

/// The bearer token of an `Authorization` header value.
pub fn parse_bearer(authorization: &str) -> Result<&str> {
    super::credentials(authorization, "Bearer")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http_auth::MAX_CREDENTIAL_LEN;

    #[test]
    fn reads_the_token_whatever_the_scheme_case() {
        for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
            assert_eq!(
                parse_bearer(&format!("{scheme} abc.DEF-_~+/==")).unwrap(),
                "abc.DEF-_~+/=="
            );
        }
    }

    #[test]
    fn refuses_malformed_values() {
        let long = format!("Bearer {}", "a".repeat(MAX_CREDENTIAL_LEN));
        for bad in [
            "",
            "Bearer",
            "Bearer ",
            "Bearer  abc",
            "Bearer abc ",
            "Bearer abc\t",
            "Bearer\tabc",
            " Bearer abc",
            "Bearer abc def",
            "Bearer a=bc",
            "Bearer abc\u{e9}",
            "Bear\u{e9}r abc",
            "Basic abc",
            "Bearerabc",
            "Bearer: abc",
            long.as_str(),
        ] {
            let err = parse_bearer(bad).unwrap_err();
            assert_eq!(err.code(), "ERR_CREDENTIAL_MALFORMED", "{bad:?}");
            assert!(!err.to_string().contains("abc"));
        }
        assert_eq!(
            parse_bearer(&long[..MAX_CREDENTIAL_LEN]).unwrap().len(),
            MAX_CREDENTIAL_LEN - 7
        );
    }
}
