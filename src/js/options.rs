//! The package's option objects (JSON text) to the core's `Validation` and `Mint`.
//!
//! Unknown option names are refused with a `TypeError`, so a misspelt
//! `audiance` cannot silently turn a check off.

use super::error::{to_js, type_error, JsResult};
use crate::jwt::{Jti, Mint, Validation};
use crate::Algorithm;
use serde::Deserialize;
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct VerifyOptions {
    algorithms: Vec<String>,
    issuer: Option<OneOrMany>,
    audience: Option<OneOrMany>,
    subject: Option<String>,
    typ: Option<String>,
    clock_tolerance: Option<u64>,
    max_token_age: Option<u64>,
    required_claims: Option<Vec<String>>,
    require_exp: Option<bool>,
    current_date: Option<f64>,
    max_token_size: Option<usize>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JtiOption {
    Random(bool),
    Value(String),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SignOptions {
    kid: Option<String>,
    typ: Option<String>,
    header: Option<Map<String, Value>>,
    expires_in: Option<u64>,
    not_before: Option<i64>,
    issuer: Option<String>,
    audience: Option<OneOrMany>,
    subject: Option<String>,
    jti: Option<JtiOption>,
    iat: Option<bool>,
    current_date: Option<f64>,
}

/// An algorithm by name; an unknown name is `ERR_JOSE_NOT_SUPPORTED`.
pub(super) fn algorithm(name: &str) -> JsResult<Algorithm> {
    name.parse().map_err(to_js)
}

pub(super) fn validation(options: &str) -> JsResult<Validation> {
    let o: VerifyOptions = parse(options)?;
    let algorithms = o.algorithms.iter().map(|name| algorithm(name)).collect::<JsResult<Vec<_>>>()?;
    let defaults = Validation::new(&algorithms);
    Ok(Validation {
        issuers: o.issuer.map(OneOrMany::into_vec).unwrap_or_default(),
        audiences: o.audience.map(OneOrMany::into_vec).unwrap_or_default(),
        subject: o.subject,
        typ: o.typ,
        clock_tolerance: o.clock_tolerance.unwrap_or(defaults.clock_tolerance),
        max_token_age: o.max_token_age,
        required_claims: o.required_claims.unwrap_or_default(),
        require_exp: o.require_exp.unwrap_or(defaults.require_exp),
        current_time: o.current_date,
        max_token_size: o.max_token_size.unwrap_or(defaults.max_token_size),
        ..defaults
    })
}

pub(super) fn mint(options: &str) -> JsResult<Mint> {
    let o: SignOptions = parse(options)?;
    let defaults = Mint::default();
    Ok(Mint {
        kid: o.kid,
        typ: o.typ.or(defaults.typ),
        header: o.header.unwrap_or_default(),
        issued_at: o.iat.unwrap_or(defaults.issued_at),
        expires_in: o.expires_in,
        not_before: o.not_before,
        issuer: o.issuer,
        audience: o.audience.map(OneOrMany::into_vec).unwrap_or_default(),
        subject: o.subject,
        jti: match o.jti {
            None | Some(JtiOption::Random(false)) => Jti::Keep,
            Some(JtiOption::Random(true)) => Jti::Random,
            Some(JtiOption::Value(jti)) => Jti::Value(jti),
        },
        current_time: o.current_date.map(whole_seconds).transpose()?,
    })
}

/// A `currentDate` for minting: NumericDates are minted in whole seconds.
fn whole_seconds(seconds: f64) -> JsResult<u64> {
    match seconds.is_finite() && seconds >= 0.0 {
        true => Ok(seconds.floor() as u64),
        false => Err(type_error("options.currentDate must be a date or a non-negative number of seconds")),
    }
}

fn parse<'a, T: Deserialize<'a>>(options: &'a str) -> JsResult<T> {
    serde_json::from_str(options).map_err(|error| invalid(&error))
}

fn invalid(error: &serde_json::Error) -> JsValue {
    type_error(&format!("invalid options: {error}"))
}
