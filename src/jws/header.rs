//! The protected header of a JWS (RFC 7515 section 4).
//!
//! A [`Header`] exists only if `alg` is a string, `kid` and `typ` are strings
//! when present, and `crit` is well formed. edgeauth understands no extension
//! parameter, so any `crit` entry is refused, as is an unencoded payload
//! (`b64: false`, RFC 7797). `jwk`, `jku`, `x5u` and `x5c` are kept for the
//! caller to read but never used to find a key.

use crate::error::{Error, Result};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Header parameters registered by JWS and JWA, which `crit` may not list.
const REGISTERED: [&str; 11] =
    ["alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"];

/// A validated JWS protected header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    members: Map<String, Value>,
    /// The header's JSON text as the token carries it.
    json: Box<str>,
}

impl Header {
    /// The header whose JSON text `json` parsed to `members`.
    pub(crate) fn parse(members: Map<String, Value>, json: Box<str>) -> Result<Header> {
        if !matches!(members.get("alg"), Some(Value::String(_))) {
            return Err(Error::JwsInvalid("the JWS header has no \"alg\" string"));
        }
        for name in ["kid", "typ", "cty"] {
            if members.get(name).is_some_and(|v| !v.is_string()) {
                return Err(Error::JwsInvalid("a JWS header parameter that must be a string is not"));
            }
        }
        check_crit(&members)?;
        if members.get("b64").is_some_and(|b64| b64 != &Value::Bool(true)) {
            return Err(Error::NotSupported("unencoded payloads (\"b64\": false) are not supported"));
        }
        Ok(Header { members, json })
    }

    /// The `alg` value as written in the token.
    pub fn alg(&self) -> &str {
        self.text("alg").unwrap_or_default()
    }

    pub fn kid(&self) -> Option<&str> {
        self.text("kid")
    }

    pub fn typ(&self) -> Option<&str> {
        self.text("typ")
    }

    /// All header members.
    pub fn members(&self) -> &Map<String, Value> {
        &self.members
    }

    /// The header's JSON text as the token carries it: what a JSON parser
    /// reads as `members()`, with no second rendering.
    pub fn json(&self) -> &str {
        &self.json
    }

    pub fn into_members(self) -> Map<String, Value> {
        self.members
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.members.get(name).and_then(Value::as_str)
    }
}

/// RFC 7515 section 4.1.11: a non-empty array of distinct names of extension
/// parameters present in the header. Every entry names an extension edgeauth
/// does not understand, so a well-formed `crit` is refused as unsupported.
fn check_crit(members: &Map<String, Value>) -> Result<()> {
    let Some(crit) = members.get("crit") else { return Ok(()) };
    let malformed = Error::JwsInvalid("the JWS \"crit\" header parameter is malformed");
    let names = crit.as_array().filter(|names| !names.is_empty()).ok_or(malformed.clone())?;
    let mut seen = HashSet::new();
    for name in names {
        let name = name.as_str().ok_or(malformed.clone())?;
        if REGISTERED.contains(&name) || !members.contains_key(name) || !seen.insert(name) {
            return Err(malformed);
        }
    }
    Err(Error::NotSupported("the token marks as critical a header parameter edgeauth does not understand"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: Value) -> Result<Header> {
        Header::parse(value.as_object().unwrap().clone(), value.to_string().into())
    }

    #[test]
    fn needs_a_string_alg() {
        assert!(parse(json!({"alg": "HS256"})).is_ok());
        assert!(matches!(parse(json!({})), Err(Error::JwsInvalid(_))));
        assert!(matches!(parse(json!({"alg": 1})), Err(Error::JwsInvalid(_))));
        assert!(matches!(parse(json!({"alg": "HS256", "kid": 7})), Err(Error::JwsInvalid(_))));
    }

    #[test]
    fn crit_is_checked_then_refused() {
        let cases = [
            json!({"alg": "HS256", "crit": []}),
            json!({"alg": "HS256", "crit": "exp"}),
            json!({"alg": "HS256", "crit": [1]}),
            json!({"alg": "HS256", "crit": ["alg"]}),
            json!({"alg": "HS256", "crit": ["exp"]}),
            json!({"alg": "HS256", "exp": 1, "crit": ["exp", "exp"]}),
            json!({"alg": "HS256", "crit": null}),
        ];
        for case in cases {
            assert!(matches!(parse(case.clone()), Err(Error::JwsInvalid(_))), "{case}");
        }
        let understood_nowhere = json!({"alg": "HS256", "exp": 1, "crit": ["exp"]});
        assert!(matches!(parse(understood_nowhere), Err(Error::NotSupported(_))));
    }

    #[test]
    fn refuses_unencoded_payloads() {
        assert!(matches!(parse(json!({"alg": "HS256", "b64": false})), Err(Error::NotSupported(_))));
        assert!(parse(json!({"alg": "HS256", "b64": true})).is_ok());
    }
}
