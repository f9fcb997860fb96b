//! Typed reads of registered claims (RFC 7519 section 4.1).
//!
//! A claim of the wrong type is an `invalid` claim, never an absent one: a
//! string `exp` does not make a token eternal.

use crate::error::{ClaimReason, Error, Result};
use serde_json::{Map, Value};

/// The latest NumericDate accepted: 9999-12-31T23:59:59Z.
pub const MAX_NUMERIC_DATE: f64 = 253_402_300_799.0;

pub(crate) type Claims = Map<String, Value>;

/// A NumericDate claim: a JSON number from 0 to [`MAX_NUMERIC_DATE`].
pub(crate) fn numeric_date(claims: &Claims, name: &str) -> Result<Option<f64>> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(t) if (0.0..=MAX_NUMERIC_DATE).contains(&t) => Ok(Some(t)),
            _ => Err(Error::claim_failed(name, ClaimReason::Invalid)),
        },
        Some(_) => Err(Error::claim_failed(name, ClaimReason::Invalid)),
    }
}

/// A StringOrURI claim such as `iss` or `sub`.
pub(crate) fn string<'a>(claims: &'a Claims, name: &str) -> Result<Option<&'a str>> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::claim_failed(name, ClaimReason::Invalid)),
    }
}

/// The `aud` claim: one string or an array of strings.
pub(crate) fn audience(claims: &Claims) -> Result<Option<Vec<&str>>> {
    let invalid = || Error::claim_failed("aud", ClaimReason::Invalid);
    match claims.get("aud") {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(vec![s.as_str()])),
        Some(Value::Array(items)) => items.iter().map(|v| v.as_str().ok_or_else(invalid)).collect::<Result<_>>().map(Some),
        Some(_) => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(value: Value) -> Claims {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn numeric_dates_must_be_numbers_in_range() {
        let c = claims(json!({"a": 1, "b": 1.5, "c": "1", "d": true, "e": null, "f": -1, "g": 1e300, "h": 253402300800u64}));
        assert_eq!(numeric_date(&c, "a").unwrap(), Some(1.0));
        assert_eq!(numeric_date(&c, "b").unwrap(), Some(1.5));
        assert_eq!(numeric_date(&c, "missing").unwrap(), None);
        for name in ["c", "d", "e", "f", "g", "h"] {
            assert_eq!(numeric_date(&c, name).unwrap_err().reason(), Some(ClaimReason::Invalid), "{name}");
        }
    }

    #[test]
    fn audience_is_a_string_or_strings() {
        assert_eq!(audience(&claims(json!({"aud": "a"}))).unwrap(), Some(vec!["a"]));
        assert_eq!(audience(&claims(json!({"aud": ["a", "b"]}))).unwrap(), Some(vec!["a", "b"]));
        for bad in [json!({"aud": 1}), json!({"aud": ["a", 1]}), json!({"aud": null}), json!({"aud": {}})] {
            assert_eq!(audience(&claims(bad)).unwrap_err(), Error::claim_failed("aud", ClaimReason::Invalid));
        }
    }
}
