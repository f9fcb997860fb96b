//! Claim validation: time rules, issuer, audience, subject, typ, required claims.

use edgeauth::jwt::{self, Mint, Validation};
use edgeauth::{Algorithm, ClaimReason, Error, Key};
use serde_json::{json, Value};

const NOW: f64 = 1_700_000_000.0;

fn key() -> Key {
    Key::from_secret(&[7u8; 32], Algorithm::HS256, None).unwrap()
}

fn token(claims: Value) -> String {
    let mint = Mint { issued_at: false, ..Mint::default() };
    mint.sign(claims.as_object().unwrap(), &key()).unwrap()
}

fn check(claims: Value, validation: &Validation) -> Result<(), Error> {
    jwt::verify(&token(claims), &key(), validation).map(|_| ())
}

fn at_now() -> Validation {
    Validation { current_time: Some(NOW), ..Validation::new(&[Algorithm::HS256]) }
}

fn claim_error(claim: &str, reason: ClaimReason) -> Error {
    Error::ClaimValidationFailed { claim: claim.into(), reason }
}

#[test]
fn exp_equal_to_now_has_expired() {
    assert_eq!(check(json!({"exp": NOW}), &at_now()), Err(Error::JwtExpired { claim: "exp" }));
    assert_eq!(check(json!({"exp": NOW + 1.0}), &at_now()), Ok(()));
    assert_eq!(check(json!({"exp": NOW + 0.5}), &at_now()), Ok(()));
    let tolerant = Validation { clock_tolerance: 5, ..at_now() };
    assert_eq!(check(json!({"exp": NOW - 4.0}), &tolerant), Ok(()));
    assert_eq!(check(json!({"exp": NOW - 5.0}), &tolerant), Err(Error::JwtExpired { claim: "exp" }));
}

#[test]
fn nbf_equal_to_now_is_valid() {
    let exp = NOW + 60.0;
    assert_eq!(check(json!({"exp": exp, "nbf": NOW}), &at_now()), Ok(()));
    assert_eq!(
        check(json!({"exp": exp, "nbf": NOW + 1.0}), &at_now()),
        Err(claim_error("nbf", ClaimReason::CheckFailed))
    );
    let tolerant = Validation { clock_tolerance: 1, ..at_now() };
    assert_eq!(check(json!({"exp": exp, "nbf": NOW + 1.0}), &tolerant), Ok(()));
}

#[test]
fn exp_is_required_unless_opted_out() {
    assert_eq!(check(json!({}), &at_now()), Err(claim_error("exp", ClaimReason::Missing)));
    assert_eq!(check(json!({}), &Validation { require_exp: false, ..at_now() }), Ok(()));
}

#[test]
fn numeric_dates_of_the_wrong_type_are_invalid_not_absent() {
    let lenient = Validation { require_exp: false, ..at_now() };
    for bad in [json!("1"), json!(true), json!(null), json!(-1), json!(1e20), json!([1]), json!({})] {
        for claim in ["exp", "nbf", "iat"] {
            let result = check(json!({ claim: bad.clone() }), &lenient);
            assert_eq!(result, Err(claim_error(claim, ClaimReason::Invalid)), "{claim}: {bad}");
        }
    }
}

#[test]
fn max_token_age_needs_a_past_iat() {
    let aged = Validation { max_token_age: Some(60), ..at_now() };
    let exp = NOW + 600.0;
    assert_eq!(check(json!({"exp": exp, "iat": NOW - 60.0}), &aged), Ok(()));
    assert_eq!(check(json!({"exp": exp, "iat": NOW - 61.0}), &aged), Err(Error::JwtExpired { claim: "iat" }));
    assert_eq!(check(json!({"exp": exp, "iat": NOW + 1.0}), &aged), Err(claim_error("iat", ClaimReason::CheckFailed)));
    assert_eq!(check(json!({"exp": exp}), &aged), Err(claim_error("iat", ClaimReason::Missing)));
}

#[test]
fn issuer_is_one_of() {
    let v = Validation { issuers: Some(vec!["a".into(), "b".into()]), require_exp: false, ..at_now() };
    assert_eq!(check(json!({"iss": "b"}), &v), Ok(()));
    assert_eq!(check(json!({"iss": "c"}), &v), Err(claim_error("iss", ClaimReason::Mismatch)));
    assert_eq!(check(json!({"iss": 1}), &v), Err(claim_error("iss", ClaimReason::Invalid)));
    assert_eq!(check(json!({}), &v), Err(claim_error("iss", ClaimReason::Missing)));
}

#[test]
fn audience_matches_exactly_in_string_or_array() {
    let v = Validation { audiences: Some(vec!["api".into()]), require_exp: false, ..at_now() };
    assert_eq!(check(json!({"aud": "api"}), &v), Ok(()));
    assert_eq!(check(json!({"aud": ["web", "api"]}), &v), Ok(()));
    for miss in [json!("API"), json!("ap"), json!("api "), json!(""), json!([]), json!(["web"])] {
        assert_eq!(check(json!({"aud": miss.clone()}), &v), Err(claim_error("aud", ClaimReason::Mismatch)), "{miss}");
    }
    assert_eq!(check(json!({"aud": [1]}), &v), Err(claim_error("aud", ClaimReason::Invalid)));
}

#[test]
fn subject_and_required_claims() {
    let v = Validation {
        subject: Some("u1".into()),
        required_claims: vec!["scope".into()],
        require_exp: false,
        ..at_now()
    };
    assert_eq!(check(json!({"sub": "u1", "scope": null}), &v), Ok(()));
    assert_eq!(check(json!({"sub": "u2", "scope": 1}), &v), Err(claim_error("sub", ClaimReason::Mismatch)));
    assert_eq!(check(json!({"sub": "u1"}), &v), Err(claim_error("scope", ClaimReason::Missing)));
}

#[test]
fn typ_is_case_insensitive_with_optional_application_prefix() {
    let v = |typ: &str| Validation { typ: Some(typ.into()), require_exp: false, ..at_now() };
    assert_eq!(check(json!({}), &v("jwt")), Ok(()));
    assert_eq!(check(json!({}), &v("application/JWT")), Ok(()));
    assert_eq!(check(json!({}), &v("at+jwt")), Err(claim_error("typ", ClaimReason::Mismatch)));
}

/// RFC 7515 section 4.1.9: `application/` is implied only for a `typ`
/// without any `/`, so `text/plain` is never `application/text/plain`.
#[test]
fn typ_gets_application_only_when_it_has_no_slash() {
    let token = |typ: &str| Mint { typ: Some(typ.into()), issued_at: false, ..Mint::default() }.sign(&Default::default(), &key()).unwrap();
    let verify = |typ: &str, expected: &str| {
        let v = Validation { typ: Some(expected.into()), require_exp: false, ..at_now() };
        jwt::verify(&token(typ), &key(), &v).map(|_| ())
    };
    let mismatch = Err(claim_error("typ", ClaimReason::Mismatch));
    for (typ, expected) in [("at+jwt", "application/at+jwt"), ("application/at+jwt", "AT+JWT"), ("text/plain", "Text/Plain"),
        ("application/text/plain", "application/text/plain")] {
        assert_eq!(verify(typ, expected), Ok(()), "{typ} as {expected}");
    }
    for (typ, expected) in [("text/plain", "application/text/plain"), ("application/text/plain", "text/plain"),
        ("jwt", "text/jwt"), ("jwt", "application/jwt/x"), ("application/jwt", "jwt/")] {
        assert_eq!(verify(typ, expected), mismatch, "{typ} as {expected}");
    }
}

/// `Some` of an empty list is a list that allows nothing: never "not checked".
#[test]
fn an_empty_allow_list_allows_nothing() {
    let claims = json!({"iss": "i", "aud": "a", "sub": "s"});
    let issuers = Validation { issuers: Some(vec![]), require_exp: false, ..at_now() };
    assert_eq!(check(claims.clone(), &issuers), Err(claim_error("iss", ClaimReason::Mismatch)));
    assert_eq!(check(json!({}), &issuers), Err(claim_error("iss", ClaimReason::Missing)));
    let audiences = Validation { audiences: Some(vec![]), require_exp: false, ..at_now() };
    assert_eq!(check(claims.clone(), &audiences), Err(claim_error("aud", ClaimReason::Mismatch)));
    assert_eq!(check(json!({"aud": []}), &audiences), Err(claim_error("aud", ClaimReason::Mismatch)));
    assert_eq!(check(claims, &Validation { require_exp: false, ..at_now() }), Ok(()), "None checks nothing");
}

#[test]
fn a_current_time_that_is_not_a_finite_non_negative_number_fails_every_token() {
    for now in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0] {
        let v = Validation { current_time: Some(now), require_exp: false, ..at_now() };
        assert_eq!(check(json!({}), &v).unwrap_err().code(), "ERR_JOSE_NOT_SUPPORTED", "{now}");
    }
}

#[test]
fn an_empty_algorithm_list_allows_nothing() {
    let v = Validation { algorithms: vec![], ..at_now() };
    assert_eq!(check(json!({"exp": NOW + 9.0}), &v).unwrap_err().code(), "ERR_JOSE_ALG_NOT_ALLOWED");
}
