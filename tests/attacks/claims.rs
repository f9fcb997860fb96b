//! Attacks through claims: types, ranges, duplicates, audiences, payload text.

use crate::util::{claim, hs256, refused, signed, NOW};
use edgeauth::jwt::{self, Validation};
use edgeauth::{Algorithm, ClaimReason, Error};
use serde_json::json;

const HS: &[Algorithm] = &[Algorithm::HS256];

fn with_payload(payload: &str) -> String {
    signed(r#"{"alg":"HS256"}"#, payload, &hs256())
}

/// `exp`, `nbf`, `iat` as strings, booleans, null, arrays, huge and negative numbers.
#[test]
fn time_claims_of_the_wrong_type_or_range() {
    for value in [json!("9999999999"), json!(true), json!(null), json!([1]), json!(1e300), json!(-1), json!(253402300800u64)] {
        for name in ["exp", "nbf", "iat"] {
            let token = with_payload(&json!({ name: value.clone() }).to_string());
            assert_eq!(refused(&token, &hs256(), HS), claim(name, ClaimReason::Invalid), "{name}: {value}");
        }
    }
}

/// Duplicate claims, also when one is spelled with an escape.
#[test]
fn duplicate_claims() {
    for payload in [r#"{"exp":1,"exp":9999999999}"#, r#"{"sub":"a","\u0073ub":"admin"}"#] {
        assert_eq!(refused(&with_payload(payload), &hs256(), HS), Error::JwtInvalid("the JWT claims set has a duplicate claim name"));
    }
}

/// `aud`: empty, an array that misses, a substring, another case, a prefix.
#[test]
fn audience_near_misses() {
    let validation = Validation { audiences: Some(vec!["api".into()]), current_time: Some(NOW), require_exp: false, ..Validation::new(HS) };
    for aud in [json!(""), json!([]), json!(["web", "apix"]), json!("ap"), json!("API"), json!("api.evil"), json!(" api")] {
        let token = with_payload(&json!({ "aud": aud.clone() }).to_string());
        assert_eq!(jwt::verify(&token, &hs256(), &validation).unwrap_err(), claim("aud", ClaimReason::Mismatch), "{aud}");
    }
}

/// Invalid UTF-8, lone surrogates and deep nesting in the payload.
#[test]
fn hostile_payload_text() {
    let key = hs256();
    let raw = [&br#"{"sub":""#[..], &[0xc3, 0x28], br#""}"#].concat();
    let input = format!("{}.{}", crate::util::b64(r#"{"alg":"HS256"}"#), crate::util::b64(&raw));
    let token = format!("{input}.{}", crate::util::b64(edgeauth::jws::signature(&key, input.as_bytes()).unwrap()));
    assert_eq!(refused(&token, &key, HS).code(), "ERR_JWT_INVALID");
    assert_eq!(refused(&with_payload(r#"{"sub":"\udc00"}"#), &key, HS).code(), "ERR_JWT_INVALID");
    let deep = format!(r#"{{"x":{}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
    let validation = Validation { max_token_size: 1 << 20, ..crate::util::at_now(HS) };
    assert_eq!(jwt::verify(&with_payload(&deep), &key, &validation).unwrap_err(), Error::JwtInvalid("the JWT claims set is nested too deeply"));
    assert_eq!(refused(&with_payload("[]"), &key, HS).code(), "ERR_JWT_INVALID");
}
