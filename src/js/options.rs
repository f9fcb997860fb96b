//! The package's option objects (JSON text) to the core's `Validation` and `Mint`.
//!
//! Unknown option names are refused with a `TypeError`, so a misspelt
//! `audiance` cannot silently turn a check off. For the same reason `null`
//! is a `TypeError`, not an absent option, and so is an empty `issuer` or
//! `audience` list: a value that failed to load must not read as "no check".
//! (The package's wrapper refuses `NaN` and the infinities before they reach
//! JSON, which would turn them into `null`.)

use super::error::{to_js, type_error, JsResult};
use crate::json::JsonError;
use crate::jwt::{Jti, Mint, Validation};
use crate::Algorithm;
use serde_json::{Map, Value};
use std::cell::RefCell;

/// An options object, read member by member; a member left over at the end
/// is an unknown option. `null` is refused (JSON has no `undefined`, so an
/// absent option is simply not there).
struct Options(Map<String, Value>);

impl Options {
    /// Parsed by the strict parser the tokens use (one JSON parser in the
    /// wasm, not two).
    fn parse(json: &str) -> JsResult<Options> {
        crate::json::parse_object(json.as_bytes()).map(Options).map_err(|error| match error {
            JsonError::NotObject => type_error("options must be an object"),
            other => type_error(&format!("options {}", other.describe())),
        })
    }

    fn take<T>(&mut self, name: &str, expected: &str, read: impl FnOnce(Value) -> Option<T>) -> JsResult<Option<T>> {
        match self.0.remove(name) {
            None => Ok(None),
            Some(Value::Null) => Err(type_error(&format!("options.{name} must be {expected}, not null (leave it out instead)"))),
            Some(value) => read(value).map(Some).ok_or_else(|| type_error(&format!("options.{name} must be {expected}"))),
        }
    }

    fn string(&mut self, name: &str) -> JsResult<Option<String>> {
        self.take(name, "a string", into_string)
    }

    fn strings(&mut self, name: &str) -> JsResult<Option<Vec<String>>> {
        self.take(name, "an array of strings", string_array)
    }

    /// A value a claim must equal: an empty string is a setting that failed
    /// to load (jose even reads `issuer: ''` as no check), not a claim value.
    fn expected(&mut self, name: &str) -> JsResult<Option<String>> {
        self.take(name, "a non-empty string", |value| into_string(value).filter(|text| !text.is_empty()))
    }

    /// A non-empty string or a non-empty array of them, as jose's `issuer`
    /// and `audience`: an empty list would accept no token, so it is a mistake.
    fn one_or_many(&mut self, name: &str) -> JsResult<Option<Vec<String>>> {
        let read = |value| {
            let many = match value {
                Value::String(one) => vec![one],
                many => string_array(many)?,
            };
            Some(many).filter(|many| !many.is_empty() && many.iter().all(|one| !one.is_empty()))
        };
        self.take(name, "a non-empty string or a non-empty array of them", read)
    }

    fn unsigned(&mut self, name: &str) -> JsResult<Option<u64>> {
        self.take(name, "a non-negative integer", |value| value.as_u64())
    }

    fn non_negative(&mut self, name: &str) -> JsResult<Option<f64>> {
        self.take(name, "a non-negative number", |value| value.as_f64().filter(|n| n.is_finite() && *n >= 0.0))
    }

    fn flag(&mut self, name: &str) -> JsResult<Option<bool>> {
        self.take(name, "a boolean", |value| value.as_bool())
    }

    fn finish(self) -> JsResult<()> {
        match self.0.keys().next() {
            Some(unknown) => Err(type_error(&format!("unknown option {unknown}"))),
            None => Ok(()),
        }
    }
}

fn into_string(value: Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text),
        _ => None,
    }
}

fn string_array(value: Value) -> Option<Vec<String>> {
    let Value::Array(items) = value else { return None };
    items.into_iter().map(into_string).collect()
}

/// An algorithm by name; an unknown name is `ERR_JOSE_NOT_SUPPORTED`.
pub(super) fn algorithm(name: &str) -> JsResult<Algorithm> {
    name.parse().map_err(to_js)
}

/// The last options text read, and what it gave: most callers pass the same
/// options on every call, so reading them again is skipped.
struct Last<T>(RefCell<Option<(String, T)>>);

impl<T: Clone> Last<T> {
    fn read(&self, options: &str, read: impl FnOnce(&str) -> JsResult<T>) -> JsResult<T> {
        let hit = self.0.borrow().as_ref().filter(|(text, _)| text == options).map(|(_, value)| value.clone());
        if let Some(value) = hit {
            return Ok(value);
        }
        let value = read(options)?;
        *self.0.borrow_mut() = Some((options.to_owned(), value.clone()));
        Ok(value)
    }
}

thread_local! {
    static LAST_VALIDATION: Last<Validation> = const { Last(RefCell::new(None)) };
    static LAST_MINT: Last<Mint> = const { Last(RefCell::new(None)) };
}

pub(super) fn validation(options: &str) -> JsResult<Validation> {
    LAST_VALIDATION.with(|last| last.read(options, read_validation))
}

pub(super) fn mint(options: &str) -> JsResult<Mint> {
    LAST_MINT.with(|last| last.read(options, read_mint))
}

fn read_validation(options: &str) -> JsResult<Validation> {
    let mut o = Options::parse(options)?;
    let names = o.strings("algorithms")?.ok_or_else(|| type_error("options.algorithms is required"))?;
    let algorithms = names.iter().map(|name| algorithm(name)).collect::<JsResult<Vec<_>>>()?;
    let defaults = Validation::new(&algorithms);
    let max_token_size = o.unsigned("maxTokenSize")?.map(usize::try_from).transpose();
    let validation = Validation {
        issuers: o.one_or_many("issuer")?,
        audiences: o.one_or_many("audience")?,
        subject: o.expected("subject")?,
        typ: o.expected("typ")?,
        clock_tolerance: o.unsigned("clockTolerance")?.unwrap_or(defaults.clock_tolerance),
        max_token_age: o.unsigned("maxTokenAge")?,
        required_claims: o.strings("requiredClaims")?.unwrap_or_default(),
        require_exp: o.flag("requireExp")?.unwrap_or(defaults.require_exp),
        current_time: o.non_negative("currentDate")?,
        max_token_size: max_token_size.map_err(|_| type_error("options.maxTokenSize is too large"))?.unwrap_or(defaults.max_token_size),
        ..defaults
    };
    o.finish().map(|()| validation)
}

fn read_mint(options: &str) -> JsResult<Mint> {
    let mut o = Options::parse(options)?;
    let defaults = Mint::default();
    let jti = |value| match value {
        Value::Bool(true) => Some(Jti::Random),
        Value::Bool(false) => Some(Jti::Keep),
        Value::String(jti) => Some(Jti::Value(jti)),
        _ => None,
    };
    let mint = Mint {
        kid: o.string("kid")?,
        typ: o.string("typ")?.or(defaults.typ),
        header: o.take("header", "an object", |value| match value {
            Value::Object(members) => Some(members),
            _ => None,
        })?.unwrap_or_default(),
        issued_at: o.flag("iat")?.unwrap_or(defaults.issued_at),
        expires_in: o.unsigned("expiresIn")?,
        not_before: o.take("notBefore", "an integer", |value| value.as_i64())?,
        issuer: o.string("issuer")?,
        audience: o.one_or_many("audience")?.unwrap_or_default(),
        subject: o.string("subject")?,
        jti: o.take("jti", "a boolean or a string", jti)?.unwrap_or(Jti::Keep),
        current_time: o.non_negative("currentDate")?.map(whole_seconds),
    };
    o.finish().map(|()| mint)
}

/// A `currentDate` for minting: NumericDates are minted in whole seconds.
fn whole_seconds(seconds: f64) -> u64 {
    seconds.floor() as u64
}
