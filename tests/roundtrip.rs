//! Sign and verify with every algorithm, through every key import path.

mod common;

use common::{private_key, public_key};
use edgeauth::jwt::{self, Jti, Mint, Validation};
use edgeauth::{Algorithm, Error, Key, KeySet};
use serde_json::{json, Map, Value};

fn claims() -> Map<String, Value> {
    json!({"sub": "user-1", "scope": "read"}).as_object().unwrap().clone()
}

fn mint(key: &Key) -> String {
    Mint { expires_in: Some(60), jti: Jti::Random, ..Mint::default() }.sign(&claims(), key).unwrap()
}

#[test]
fn every_algorithm_round_trips_with_its_public_key() {
    for alg in Algorithm::ALL {
        let key = private_key(alg);
        let token = mint(&key);
        let verified = jwt::verify(&token, &public_key(&key), &Validation::new(&[alg])).unwrap();
        assert_eq!(verified.header.alg(), alg.name());
        assert_eq!(verified.header.typ(), Some("JWT"));
        assert_eq!(verified.claims["sub"], "user-1");
        assert_eq!(verified.claims["jti"].as_str().unwrap().len(), 22);
    }
}

#[test]
fn a_tampered_token_fails_for_every_algorithm() {
    for alg in Algorithm::ALL {
        let key = private_key(alg);
        let token = mint(&key);
        let (head, _) = token.rsplit_once('.').unwrap();
        let other = mint(&key);
        let forged = format!("{head}.{}", other.rsplit_once('.').unwrap().1);
        let result = jwt::verify(&forged, &public_key(&key), &Validation::new(&[alg]));
        assert_eq!(result.unwrap_err(), Error::SignatureVerificationFailed, "{alg}");
    }
}

#[test]
fn generated_keys_are_named_by_their_thumbprint() {
    for alg in Algorithm::ALL.into_iter().filter(|a| !a.name().starts_with(['R', 'P'])) {
        let key = Key::generate(alg, None).unwrap();
        assert_eq!(key.kid(), Some(key.thumbprint().as_str()));
        assert_eq!(Key::generate(alg, Some("mine")).unwrap().kid(), Some("mine"));
    }
}

#[test]
fn private_jwks_export_and_import_losslessly() {
    for alg in Algorithm::ALL {
        let key = private_key(alg);
        let jwk = key.to_jwk(true).unwrap();
        let again = Key::from_jwk(&jwk).unwrap();
        assert_eq!(again.to_jwk(true).unwrap(), jwk, "{alg}");
        assert_eq!(again.thumbprint(), key.thumbprint());
        let token = mint(&again);
        jwt::verify(&token, &public_key(&key), &Validation::new(&[alg])).unwrap();
    }
}

#[test]
fn public_exports_hold_no_private_member() {
    let mut set = KeySet::new();
    for alg in Algorithm::ALL {
        set.add(private_key(alg));
    }
    let jwks = Value::Object(set.to_public_jwks());
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 10, "the three HMAC keys are left out");
    for key in keys {
        for member in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] {
            assert!(key.get(member).is_none(), "{member} in {key}");
        }
    }
}

#[test]
fn a_key_set_verifies_by_kid_and_by_fit() {
    let es = Key::generate(Algorithm::ES256, Some("es")).unwrap();
    let ed = Key::generate(Algorithm::EdDSA, Some("ed")).unwrap();
    let set = KeySet::from_jwks(
        json!({"keys": [es.to_jwk(false).unwrap(), ed.to_jwk(false).unwrap()]}).as_object().unwrap(),
    )
    .unwrap();
    let validation = Validation::new(&[Algorithm::ES256, Algorithm::EdDSA]);
    jwt::verify(&mint(&es), &set, &validation).unwrap();
    jwt::verify(&mint(&ed), &set, &validation).unwrap();
    let no_kid = Mint { kid: None, header: Map::new(), ..Mint::default() };
    let anonymous = Key::from_jwk(&without_kid(&ed)).unwrap();
    let token = Mint { expires_in: Some(60), ..no_kid }.sign(&claims(), &anonymous).unwrap();
    jwt::verify(&token, &set, &validation).unwrap();
    let unknown = Key::generate(Algorithm::ES256, Some("unknown")).unwrap();
    assert_eq!(jwt::verify(&mint(&unknown), &set, &validation).unwrap_err(), Error::JwksNoMatchingKey);
}

fn without_kid(key: &Key) -> Map<String, Value> {
    let mut jwk = key.to_jwk(true).unwrap();
    jwk.remove("kid");
    jwk
}

#[test]
fn pem_imports_match_their_jwks() {
    let pkcs8 = Key::from_pem(common::RSA_PKCS8, Algorithm::RS256, None).unwrap();
    let pkcs1 = Key::from_pem(include_str!("data/rsa2048.pkcs1.pem"), Algorithm::RS256, None).unwrap();
    let spki = Key::from_pem(common::RSA_SPKI, Algorithm::RS256, None).unwrap();
    assert_eq!(pkcs8.thumbprint(), pkcs1.thumbprint());
    assert_eq!(pkcs8.thumbprint(), spki.thumbprint());
    let p256 = Key::from_pem(include_str!("data/p256.pkcs8.pem"), Algorithm::ES256, None).unwrap();
    let sec1 = Key::from_pem(include_str!("data/p256.sec1.pem"), Algorithm::ES256, None).unwrap();
    let p256_public = Key::from_pem(include_str!("data/p256.spki.pem"), Algorithm::ES256, None).unwrap();
    assert_eq!(p256.thumbprint(), sec1.thumbprint());
    assert_eq!(p256.thumbprint(), p256_public.thumbprint());
    let ed = Key::from_pem(include_str!("data/ed25519.pkcs8.pem"), Algorithm::EdDSA, None).unwrap();
    let ed_public = Key::from_pem(include_str!("data/ed25519.spki.pem"), Algorithm::EdDSA, None).unwrap();
    assert_eq!(ed.thumbprint(), ed_public.thumbprint());
    jwt::verify(&mint(&ed), &ed_public, &Validation::new(&[Algorithm::EdDSA])).unwrap();
    let p521 = Key::from_pem(include_str!("data/p521.pkcs8.pem"), Algorithm::ES512, None).unwrap();
    jwt::verify(&mint(&p521), &public_key(&p521), &Validation::new(&[Algorithm::ES512])).unwrap();
}

#[test]
fn pem_keys_refuse_algorithms_of_other_families() {
    let refused = Key::from_pem(common::RSA_SPKI, Algorithm::HS256, None).unwrap_err();
    assert_eq!(refused.code(), "ERR_JWK_INVALID");
    let weak = Key::from_pem(include_str!("data/rsa1024.pkcs8.pem"), Algorithm::RS256, None).unwrap_err();
    assert_eq!(weak, Error::JwkInvalid("RSA keys under 2048 bits are refused"));
}
