//! Compact serialization (RFC 7515 section 7.1), parsed strictly.
//!
//! The size limit is checked before any decoding; then exactly three segments
//! of canonical base64url, a header that is a JSON object without duplicate
//! members, and a signature are required.

use super::header::Header;
use crate::b64;
use crate::error::{Error, Result};
use crate::json;

/// The default maximum token size in bytes.
pub const DEFAULT_MAX_TOKEN_SIZE: usize = 16 * 1024;

/// A parsed, not yet verified, compact JWS.
pub(crate) struct Compact<'a> {
    pub signing_input: &'a str,
    pub header: Header,
    pub payload: Vec<u8>,
    pub signature: Vec<u8>,
}

pub(crate) fn parse(token: &str, max_size: usize) -> Result<Compact<'_>> {
    if token.len() > max_size {
        return Err(Error::JwtTooLarge { max: max_size });
    }
    let mut segments = token.splitn(4, '.');
    let (Some(header), Some(payload), Some(signature), None) =
        (segments.next(), segments.next(), segments.next(), segments.next())
    else {
        return Err(Error::JwsInvalid("a compact JWS has exactly three segments"));
    };
    let header_json = decode(header, "the JWS header is not canonical base64url")?;
    let members = json::parse_object(&header_json).map_err(|e| Error::JwsInvalid(header_error(e)))?;
    let header_json = String::from_utf8(header_json).map_err(|_| Error::JwsInvalid(header_error(json::JsonError::Syntax)))?;
    Ok(Compact {
        signing_input: token.get(..header.len() + 1 + payload.len()).unwrap_or_default(),
        header: Header::parse(members, header_json.into())?,
        payload: decode(payload, "the JWS payload is not canonical base64url")?,
        signature: decode(signature, "the JWS signature is not canonical base64url")?,
    })
}

fn decode(segment: &str, error: &'static str) -> Result<Vec<u8>> {
    b64::decode(segment).ok_or(Error::JwsInvalid(error))
}

fn header_error(error: json::JsonError) -> &'static str {
    match error {
        json::JsonError::Syntax => "the JWS header is not valid JSON in UTF-8",
        json::JsonError::Duplicate => "the JWS header has a duplicate member name",
        json::JsonError::TooDeep => "the JWS header is nested too deeply",
        json::JsonError::NotObject => "the JWS header is not a JSON object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "eyJhbGciOiJIUzI1NiJ9"; // {"alg":"HS256"}

    #[test]
    fn splits_three_segments() {
        let token = format!("{HEADER}.e30.c2ln");
        let parsed = parse(&token, DEFAULT_MAX_TOKEN_SIZE).unwrap();
        assert_eq!(parsed.signing_input, format!("{HEADER}.e30"));
        assert_eq!(parsed.payload, b"{}");
        assert_eq!(parsed.signature, b"sig");
    }

    #[test]
    fn refuses_other_segment_counts() {
        for token in [String::new(), format!("{HEADER}.e30"), format!("{HEADER}.e30.c2ln.x"), format!("{HEADER}.e30.c2ln.x.y")] {
            assert_eq!(
                parse(&token, DEFAULT_MAX_TOKEN_SIZE).err(),
                Some(Error::JwsInvalid("a compact JWS has exactly three segments"))
            );
        }
    }

    #[test]
    fn checks_size_first() {
        let token = "x".repeat(DEFAULT_MAX_TOKEN_SIZE + 1);
        assert_eq!(parse(&token, DEFAULT_MAX_TOKEN_SIZE).err(), Some(Error::JwtTooLarge { max: 16384 }));
    }

    #[test]
    fn refuses_padding_and_the_standard_alphabet() {
        for token in [format!("{HEADER}=.e30.c2ln"), format!("{HEADER}.e30=.c2ln"), format!("{HEADER}.e30.c2l+")] {
            assert!(matches!(parse(&token, DEFAULT_MAX_TOKEN_SIZE), Err(Error::JwsInvalid(_))), "{token}");
        }
    }
}
