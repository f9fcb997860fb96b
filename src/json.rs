//! Strict JSON for JOSE headers, claims and keys.
//!
//! Parses a JSON object and refuses duplicate member names (RFC 7515 section 5.2
//! lets a parser pick one; picking is how two parsers come to disagree about one
//! token) and nesting beyond [`MAX_DEPTH`]. `serde_json` already refuses invalid
//! UTF-8 and lone surrogates in escapes.
//!
//! Also [`not_null`], for configuration read with serde: a member may be
//! absent, but `null` is not a second way to leave it out.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use std::cell::Cell;
use std::fmt;

/// The deepest nesting of arrays and objects accepted (the top object is depth 1).
pub(crate) const MAX_DEPTH: usize = 32;

/// Why a document was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonError {
    Syntax,
    Duplicate,
    TooDeep,
    NotObject,
}

impl JsonError {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            JsonError::Syntax => "is not valid JSON in UTF-8",
            JsonError::Duplicate => "has a duplicate member name",
            JsonError::TooDeep => "is nested too deeply",
            JsonError::NotObject => "is not a JSON object",
        }
    }
}

/// Parses `bytes` as one JSON object, strictly.
pub(crate) fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, JsonError> {
    let failure = Cell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = StrictValue { depth: 0, failure: &failure }.deserialize(&mut deserializer);
    let value = match parsed.and_then(|value| deserializer.end().map(|()| value)) {
        Ok(value) => value,
        Err(_) => return Err(failure.get().unwrap_or(JsonError::Syntax)),
    };
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(JsonError::NotObject),
    }
}

/// For `#[serde(default, deserialize_with = "crate::json::not_null")]` on an
/// optional configuration member: absent is `None`, and `null` is an error.
/// A template that failed to fill a value in writes `null`, and reading that
/// as absent would silently pick the default (no issuer, every method, every
/// provider) instead of what was meant.
pub(crate) fn not_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// A `serde_json::Value` seed that tracks depth and refuses duplicates, noting
/// the reason in `failure` (serde's own errors are only text).
#[derive(Clone, Copy)]
struct StrictValue<'f> {
    depth: usize,
    failure: &'f Cell<Option<JsonError>>,
}

impl StrictValue<'_> {
    fn fail<E: de::Error>(self, why: JsonError) -> E {
        self.failure.set(Some(why));
        E::custom(why.describe())
    }

    fn nested<E: de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_DEPTH {
            return Err(self.fail(JsonError::TooDeep));
        }
        Ok(StrictValue { depth: self.depth + 1, failure: self.failure })
    }
}

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v).map(Value::Number).ok_or_else(|| self.fail(JsonError::Syntax))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let child = self.nested()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(child)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let child = self.nested()?;
        let mut map = Map::new();
        while let Some(name) = access.next_key::<String>()? {
            let value = access.next_value_seed(child)?;
            if map.insert(name, value).is_some() {
                return Err(self.fail(JsonError::Duplicate));
            }
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_objects() {
        let map = parse_object(br#"{"a":1,"b":[true,null,{"c":"d"}],"e":1.5}"#).unwrap();
        assert_eq!(map.len(), 3);
    }

    #[test]
    fn refuses_duplicates_at_any_depth() {
        assert_eq!(parse_object(br#"{"a":1,"a":2}"#), Err(JsonError::Duplicate));
        assert_eq!(parse_object(br#"{"x":{"a":1,"a":1}}"#), Err(JsonError::Duplicate));
        assert_eq!(parse_object(br#"{"a":1,"\u0061":2}"#), Err(JsonError::Duplicate));
    }

    #[test]
    fn refuses_deep_nesting_without_recursing_far() {
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse_object(deep.as_bytes()), Err(JsonError::TooDeep));
        let ok = format!("{{\"a\":{}{}}}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(parse_object(ok.as_bytes()).is_ok());
    }

    #[test]
    fn not_null_reads_absent_as_none_and_refuses_null() {
        #[derive(Deserialize)]
        struct Member {
            #[serde(default, deserialize_with = "not_null")]
            x: Option<u8>,
        }
        let read = |json: &str| serde_json::from_str::<Member>(json).map(|member| member.x);
        assert_eq!(read("{}").unwrap(), None);
        assert_eq!(read(r#"{"x":1}"#).unwrap(), Some(1));
        assert!(read(r#"{"x":null}"#).is_err());
    }

    #[test]
    fn refuses_non_objects_and_bad_text() {
        assert_eq!(parse_object(b"[1]"), Err(JsonError::NotObject));
        assert_eq!(parse_object(b"\"s\""), Err(JsonError::NotObject));
        assert_eq!(parse_object(b"{} x"), Err(JsonError::Syntax));
        assert_eq!(parse_object(b"{\"a\":\"\xff\"}"), Err(JsonError::Syntax));
        assert_eq!(parse_object(br#"{"a":"\ud800"}"#), Err(JsonError::Syntax));
        assert_eq!(parse_object(b""), Err(JsonError::Syntax));
    }
}
