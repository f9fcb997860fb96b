//! Wycheproof (C2SP/wycheproof, testvectors_v1) against the signature
//! primitives, through edgeauth's own key import (SPKI DER) and verification.
//!
//! `valid` must verify, `invalid` must not, `acceptable` may go either way.
//! Where edgeauth is deliberately stricter than the primitive (HMAC keys
//! shorter than the hash, truncated tags), the group is checked to be refused.
//! See tests/vectors/README.md for the files' provenance.

use edgeauth::jws::verify_signature;
use edgeauth::{Algorithm, Error, Key};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/vectors/wycheproof/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn hex(text: &Value) -> Vec<u8> {
    let text = text.as_str().unwrap();
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

/// Runs every test of every group with the group's SPKI key; all must run.
fn run(file: &str, alg: Algorithm) {
    let vectors = load(file);
    let mut checked = 0;
    for group in vectors["testGroups"].as_array().unwrap() {
        let key = Key::from_spki_der(&hex(&group["publicKeyDer"]), alg, None).unwrap();
        for test in group["tests"].as_array().unwrap() {
            let verified = verify_signature(&key, alg, &hex(&test["msg"]), &hex(&test["sig"])).unwrap();
            match test["result"].as_str().unwrap() {
                "valid" => assert!(verified, "{file} tcId {} should verify", test["tcId"]),
                "invalid" => assert!(!verified, "{file} tcId {} should fail: {}", test["tcId"], test["comment"]),
                _ => {}
            }
            checked += 1;
        }
    }
    assert_eq!(checked, vectors["numberOfTests"], "{file}");
}

#[test]
fn ecdsa_p1363() {
    run("ecdsa_secp256r1_sha256_p1363_test.json", Algorithm::ES256);
    run("ecdsa_secp384r1_sha384_p1363_test.json", Algorithm::ES384);
    run("ecdsa_secp521r1_sha512_p1363_test.json", Algorithm::ES512);
}

#[test]
fn rsa_pkcs1_and_pss() {
    run("rsa_signature_2048_sha256_test.json", Algorithm::RS256);
    run("rsa_pss_2048_sha256_mgf1_32_test.json", Algorithm::PS256);
}

#[test]
fn ed25519() {
    run("ed25519_test.json", Algorithm::EdDSA);
}

/// JWS never truncates a tag, so truncated-tag groups do not apply; keys
/// shorter than 32 bytes must be refused rather than used.
#[test]
fn hmac_sha256() {
    let vectors = load("hmac_sha256_test.json");
    let mut checked = 0;
    for group in vectors["testGroups"].as_array().unwrap().iter().filter(|g| g["tagSize"] == 256) {
        for test in group["tests"].as_array().unwrap() {
            let secret = hex(&test["key"]);
            match Key::from_secret(&secret, Algorithm::HS256, None) {
                Ok(key) => {
                    let tag = hex(&test["tag"]);
                    let verified = verify_signature(&key, Algorithm::HS256, &hex(&test["msg"]), &tag).unwrap();
                    assert_eq!(verified, test["result"] == "valid", "tcId {}", test["tcId"]);
                }
                Err(refused) => {
                    assert!(secret.len() < 32, "tcId {}", test["tcId"]);
                    assert_eq!(refused, Error::JwkInvalid("the HMAC secret is shorter than the hash output"));
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 87);
}
