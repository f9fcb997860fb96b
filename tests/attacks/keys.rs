//! Attacks through keys: weak, misused, malformed or mismatched key material.

use crate::util::{b64, refused, signed, unb64};
use edgeauth::{Algorithm, Error, Key, KeySet};
use serde_json::{json, Value};

/// HMAC secrets shorter than the hash output, for each HS* (RFC 7518 3.2).
#[test]
fn weak_hmac_secrets() {
    for (alg, len) in [(Algorithm::HS256, 32), (Algorithm::HS384, 48), (Algorithm::HS512, 64)] {
        let error = Key::from_secret(&vec![1; len - 1], alg, None).unwrap_err();
        assert_eq!(error, Error::JwkInvalid("the HMAC secret is shorter than the hash output"), "{alg}");
        assert!(Key::from_secret(&vec![1; len], alg, None).is_ok());
    }
    let unbound = Key::from_jwk(json!({"kty": "oct", "k": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}).as_object().unwrap()).unwrap();
    let token = signed(r#"{"alg":"HS512"}"#, "{}", &Key::from_secret(&[0; 64], Algorithm::HS512, None).unwrap());
    assert_eq!(refused(&token, &unbound, &[Algorithm::HS512]).code(), "ERR_JWK_INVALID");
}

/// 1024-bit RSA, as PEM and as a JWK.
#[test]
fn rsa_1024() {
    let pem = include_str!("../data/rsa1024.pkcs8.pem");
    let refused = Error::JwkInvalid("RSA keys under 2048 bits are refused");
    assert_eq!(Key::from_pem(pem, Algorithm::RS256, None).unwrap_err(), refused);
    let n = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, [0xc1u8; 128]);
    assert_eq!(Key::from_jwk(json!({"kty": "RSA", "n": n, "e": "AQAB"}).as_object().unwrap()).unwrap_err(), refused);
}

/// Keys for encryption (`use: enc`) or whose `key_ops` do not allow verification.
#[test]
fn keys_for_other_purposes() {
    let key = Key::generate(Algorithm::ES256, Some("k")).unwrap();
    let mut jwk = key.to_jwk(false).unwrap();
    jwk.insert("use".into(), "enc".into());
    assert_eq!(Key::from_jwk(&jwk).unwrap_err(), Error::JwkInvalid("the key's \"use\" is not \"sig\""));
    let set = KeySet::from_jwks(json!({"keys": [jwk]}).as_object().unwrap()).unwrap();
    assert!(set.is_empty(), "an encryption key is skipped in a set");
    let mut sign_only = key.to_jwk(false).unwrap();
    sign_only.insert("key_ops".into(), json!(["sign"]));
    let token = signed(r#"{"alg":"ES256","kid":"k"}"#, "{}", &key);
    let sign_only = Key::from_jwk(&sign_only).unwrap();
    assert_eq!(refused(&token, &sign_only, &[Algorithm::ES256]).code(), "ERR_JOSE_ALG_NOT_ALLOWED");
    let mut encrypt = key.to_jwk(false).unwrap();
    encrypt.insert("key_ops".into(), json!(["encrypt"]));
    assert_eq!(Key::from_jwk(&encrypt).unwrap_err().code(), "ERR_JWK_INVALID");
}

/// RFC 7517 section 4.3: duplicate `key_ops` values make the key invalid, alone or in a set.
#[test]
fn duplicate_key_ops() {
    let key = Key::generate(Algorithm::ES256, Some("k")).unwrap();
    for ops in [json!(["verify", "verify"]), json!(["sign", "verify", "sign"]), json!(["verify", "encrypt", "encrypt"])] {
        let mut jwk = key.to_jwk(false).unwrap();
        jwk.insert("key_ops".into(), ops.clone());
        assert_eq!(Key::from_jwk(&jwk).unwrap_err(), Error::JwkInvalid("the key's \"key_ops\" list a value twice"), "{ops}");
        assert_eq!(KeySet::from_jwks(json!({"keys": [jwk]}).as_object().unwrap()).unwrap_err().code(), "ERR_JWK_INVALID", "{ops}");
    }
    let mut distinct = key.to_jwk(false).unwrap();
    distinct.insert("key_ops".into(), json!(["verify", "sign"]));
    assert!(Key::from_jwk(&distinct).is_ok());
}

/// EC points moved off their curve (invalid-curve attacks), every curve.
#[test]
fn points_off_the_curve() {
    for alg in [Algorithm::ES256, Algorithm::ES384, Algorithm::ES512] {
        let mut jwk = Key::generate(alg, None).unwrap().to_jwk(false).unwrap();
        // y with its lowest bit flipped: for a given x only y and p - y lie on
        // the curve, and p - y differs from y in parity by far more than one.
        let mut y = unb64(jwk["y"].as_str().unwrap());
        *y.last_mut().unwrap() ^= 1;
        jwk.insert("y".into(), Value::String(b64(y)));
        assert_eq!(Key::from_jwk(&jwk).unwrap_err(), Error::JwkInvalid("the EC point is not on its curve"), "{alg}");
    }
}

/// An Ed25519 key asked to verify ES256, and a key whose declared `alg` differs from the token's.
#[test]
fn keys_of_another_algorithm() {
    let ed = Key::generate(Algorithm::EdDSA, None).unwrap();
    let es = Key::generate(Algorithm::ES256, None).unwrap();
    let token = signed(r#"{"alg":"ES256"}"#, "{}", &es);
    assert_eq!(refused(&token, &ed, &[Algorithm::ES256]).code(), "ERR_JOSE_ALG_NOT_ALLOWED");
    let rsa = Key::from_pem(include_str!("../data/rsa2048.pkcs8.pem"), Algorithm::RS256, None).unwrap();
    let pss = signed(r#"{"alg":"PS256"}"#, "{}", &Key::from_pem(include_str!("../data/rsa2048.pkcs8.pem"), Algorithm::PS256, None).unwrap());
    assert_eq!(refused(&pss, &rsa, &[Algorithm::PS256]).code(), "ERR_JOSE_ALG_NOT_ALLOWED");
    let mut mismatch = es.to_jwk(false).unwrap();
    mismatch.insert("alg".into(), "ES384".into());
    assert_eq!(Key::from_jwk(&mismatch).unwrap_err().code(), "ERR_JWK_INVALID");
}

/// RSA public exponents and moduli that no verifier should trust: e = 1 (any
/// padded hash "verifies" with a host that does not check e), even or huge
/// exponents, an even modulus. Refused at import, before any host sees them.
#[test]
fn rsa_exponents_and_moduli_that_make_forgery_easy() {
    let pem = include_str!("../data/rsa2048.spki.pem");
    let jwk = Key::from_pem(pem, Algorithm::RS256, None).unwrap().to_jwk(false).unwrap();
    let mut even_n = unb64(jwk["n"].as_str().unwrap());
    *even_n.last_mut().unwrap() &= 0xfe;
    let variants = [("e", b64([1])), ("e", b64([2])), ("e", b64([0, 1])), ("e", b64([2, 0, 0, 0, 1])), ("n", b64(even_n))];
    for (member, value) in variants {
        let mut bad = jwk.clone();
        bad.insert(member.into(), Value::String(value.clone()));
        assert_eq!(Key::from_jwk(&bad).unwrap_err().code(), "ERR_JWK_INVALID", "{member} = {value:.12}");
    }
    let mut standard = jwk.clone();
    standard.insert("e".into(), Value::String(b64([1, 0, 1])));
    assert!(Key::from_jwk(&standard).is_ok());
}
