//! JSON Web Tokens (RFC 7519): verify with strict claims, mint, decode.
//!
//! [`verify`] checks, in order: size and structure, the algorithm against the
//! caller's list, the signature, that the payload is a JSON object of claims,
//! then the claims against [`Validation`]. Nothing of the payload is trusted
//! before the signature has verified.

mod claims;
mod mint;
mod prevalidated;
mod validate;
mod verifier;

pub use claims::MAX_NUMERIC_DATE;
pub use mint::{Jti, Mint};
pub use prevalidated::{prevalidate, Prevalidated};
pub use validate::Validation;
pub use verifier::{Verifier, DEFAULT_CAPACITY};

use crate::clock;
use crate::error::{Error, Result};
use crate::json;
use crate::jws::{self, Header};
use crate::jws::KeySource;
use serde::Deserialize;
use serde_json::{Map, Value};

/// A token's header and claims.
#[derive(Debug, Clone, PartialEq)]
pub struct Jwt {
    pub header: Header,
    pub claims: Map<String, Value>,
    /// The claims' JSON text as the token carries it (see [`Header::json`]).
    pub claims_json: Box<str>,
}

/// Verifies `token` with `keys` and validates its claims.
pub fn verify(token: &str, keys: &impl KeySource, validation: &Validation) -> Result<Jwt> {
    verify_at(token, keys, validation, validation.current_time.unwrap_or_else(clock::now))
}

fn verify_at(token: &str, keys: &impl KeySource, validation: &Validation, now: f64) -> Result<Jwt> {
    validated_at(unverified(token, keys, validation)?.verify()?, validation, now)
}

/// The first half of [`verify`], for hosts that check signatures with their
/// own crypto: `token` parsed under `validation`'s algorithms and size limit,
/// with its candidate keys chosen. Check the signature, then pass the
/// result to [`validated`].
pub fn unverified(token: &str, keys: &impl KeySource, validation: &Validation) -> Result<jws::Unverified> {
    if validation.algorithms.is_empty() {
        return Err(Error::AlgNotAllowed("no algorithm is allowed: list the accepted algorithms"));
    }
    jws::Unverified::parse(token, keys, &validation.algorithms, validation.max_token_size)
}

/// The second half of [`verify`]: the claims of a JWS whose signature
/// verified, validated.
pub fn validated(verified: jws::Verified, validation: &Validation) -> Result<Jwt> {
    validated_at(verified, validation, validation.current_time.unwrap_or_else(clock::now))
}

fn validated_at(verified: jws::Verified, validation: &Validation, now: f64) -> Result<Jwt> {
    validated_parts(verified.header, verified.payload, validation, now)
}

/// A header and payload made into a [`Jwt`] if the claims pass `validation` at `now`.
fn validated_parts(header: Header, payload: Vec<u8>, validation: &Validation, now: f64) -> Result<Jwt> {
    let (claims, claims_json) = claims_of(payload)?;
    validation.check(&header, &claims, now)?;
    Ok(Jwt { header, claims, claims_json })
}

/// Reads a token's header and claims WITHOUT verifying anything: for display
/// and debugging only, never for a decision.
pub fn decode(token: &str) -> Result<Jwt> {
    let decoded = jws::decode(token, jws::DEFAULT_MAX_TOKEN_SIZE)?;
    let (claims, claims_json) = claims_of(decoded.payload)?;
    Ok(Jwt { claims, claims_json, header: decoded.header })
}

/// The issuer `token` claims, read WITHOUT verifying anything: only to choose
/// whose keys and rules verify it, and cheaper than [`decode`]. `None` when
/// the token is too large, malformed, or names no string issuer.
pub fn claimed_issuer(token: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Claimed {
        iss: Option<String>,
    }
    if token.len() > jws::DEFAULT_MAX_TOKEN_SIZE {
        return None;
    }
    let payload = crate::b64::decode(token.split('.').nth(1)?)?;
    serde_json::from_slice::<Claimed>(&payload).ok()?.iss
}

/// The claims of a payload, and the payload as text.
fn claims_of(payload: Vec<u8>) -> Result<(Map<String, Value>, Box<str>)> {
    let claims = json::parse_object(&payload).map_err(claims_error)?;
    let text = String::from_utf8(payload).map_err(|_| claims_error(json::JsonError::Syntax))?;
    Ok((claims, text.into()))
}

fn claims_error(error: json::JsonError) -> Error {
    Error::JwtInvalid(match error {
        json::JsonError::Duplicate => "the JWT claims set has a duplicate claim name",
        json::JsonError::TooDeep => "the JWT claims set is nested too deeply",
        json::JsonError::Syntax | json::JsonError::NotObject => "the JWT claims set is not a JSON object in UTF-8",
    })
}

#[cfg(test)]
mod tests {
    use super::claimed_issuer;
    use crate::b64;

    fn token(payload: &str) -> String {
        format!("e30.{}.c2ln", b64::encode(payload))
    }

    #[test]
    fn claimed_issuer_reads_only_a_string_iss() {
        assert_eq!(claimed_issuer(&token(r#"{"sub":"s","iss":"https://idp","aud":["a"]}"#)).as_deref(), Some("https://idp"));
        for payload in [r#"{"sub":"s"}"#, r#"{"iss":7}"#, r#"{"iss":"a","iss":"b"}"#, "[]", "not json"] {
            assert_eq!(claimed_issuer(&token(payload)), None, "{payload}");
        }
        assert_eq!(claimed_issuer("e30.!!!.c2ln"), None);
        assert_eq!(claimed_issuer("e30"), None);
        let huge = format!(r#"{{"iss":"i","pad":"{}"}}"#, "x".repeat(crate::jws::DEFAULT_MAX_TOKEN_SIZE));
        assert_eq!(claimed_issuer(&token(&huge)), None);
    }
}
