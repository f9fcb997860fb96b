//! Published JOSE examples: RFC 7515 appendix A, RFC 7520 section 4,
//! RFC 8037 appendix A and RFC 7638 section 3.1 (files in tests/vectors).

use edgeauth::jws::{self, DEFAULT_MAX_TOKEN_SIZE};
use edgeauth::{Algorithm, Key};
use serde_json::{Map, Value};
use std::fs;

fn vectors(dir: &str) -> Vec<(String, Value)> {
    let dir = format!("{}/tests/vectors/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .map(|path| (path.display().to_string(), serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap()))
        .collect()
}

/// The vector's key; for the unsecured example, which has none, any key.
fn key(vector: &Value) -> Key {
    match vector["jwk"].as_object() {
        Some(jwk) => Key::from_jwk(jwk).unwrap(),
        None => Key::from_secret(&[0; 32], Algorithm::HS256, None).unwrap(),
    }
}

/// The token with a detached payload put back in (RFC 7515 appendix F).
fn attached(vector: &Value) -> String {
    let token = vector["token"].as_str().unwrap();
    if vector["detached"] != true {
        return token.to_owned();
    }
    let (header, signature) = token.split_once("..").unwrap();
    use base64::Engine;
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(vector["payload"].as_str().unwrap());
    format!("{header}.{encoded}.{signature}")
}

fn check_signatures(dir: &str) -> usize {
    let mut checked = 0;
    for (file, vector) in vectors(dir).into_iter().filter(|(_, v)| v.get("token").is_some()) {
        let alg = Algorithm::from_name(vector["alg"].as_str().unwrap_or("none"));
        let result = match alg {
            Some(alg) => jws::verify(&attached(&vector), &key(&vector), &[alg], DEFAULT_MAX_TOKEN_SIZE),
            None => jws::verify(&attached(&vector), &key(&vector), &Algorithm::ALL, DEFAULT_MAX_TOKEN_SIZE),
        };
        match vector["expect"].as_str().unwrap() {
            "valid" => {
                let verified = result.unwrap_or_else(|e| panic!("{file}: {e}"));
                assert_eq!(verified.payload, vector["payload"].as_str().unwrap().as_bytes(), "{file}");
            }
            // RFC 7515 A.5, alg "none": refused even with every algorithm allowed.
            _ => assert_eq!(result.unwrap_err().code(), "ERR_JOSE_ALG_NOT_ALLOWED", "{file}"),
        }
        checked += 1;
    }
    checked
}

#[test]
fn rfc7515_appendix_a() {
    assert_eq!(check_signatures("rfc7515"), 5);
}

#[test]
fn rfc7520_section_4() {
    assert_eq!(check_signatures("rfc7520"), 5);
}

#[test]
fn rfc8037_ed25519_signing_is_reproduced_exactly() {
    assert_eq!(check_signatures("rfc8037"), 1);
    let vector = &vectors("rfc8037").into_iter().find(|(f, _)| f.ends_with("a4_ed25519_signing.json")).unwrap().1;
    let token = jws::sign(Map::new(), vector["payload"].as_str().unwrap().as_bytes(), &key(vector)).unwrap();
    assert_eq!(token, vector["token"].as_str().unwrap());
}

#[test]
fn rfc7638_and_rfc8037_thumbprints() {
    let mut checked = 0;
    for dir in ["rfc7638", "rfc8037"] {
        for (file, vector) in vectors(dir).into_iter().filter(|(_, v)| v.get("thumbprint").is_some()) {
            assert_eq!(key(&vector).thumbprint(), vector["thumbprint"].as_str().unwrap(), "{file}");
            checked += 1;
        }
    }
    assert_eq!(checked, 2);
}
