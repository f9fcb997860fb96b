//! Wycheproof's JOSE files (C2SP/wycheproof testvectors_v1:
//! json_web_signature_test.json, json_web_key_test.json) through edgeauth's
//! JWK/JWK Set import and JWS verification. A key that edgeauth refuses to
//! import counts as a rejection of every token of its group.
//!
//! Eight JWS cases carry labels a strict verifier cannot meet; they are listed
//! in MISLABELLED with the reason, and the test checks edgeauth gives the
//! opposite of their label (so an upstream fix is noticed). One policy is not
//! enforced (NOT_ENFORCED). See
//! tests/vectors/README.md for the evidence.

use edgeauth::jws::{self, DEFAULT_MAX_TOKEN_SIZE};
use edgeauth::{Algorithm, Key, KeySet};
use serde_json::Value;

const SIGNATURES: &str = "json_web_signature_test.json";
const KEYS: &str = "json_web_key_test.json";

/// File, tcId, and why its label is wrong for a strict JWS verifier. Keyed
/// by file too: tcIds restart in each file, and an entry meant for one must
/// not excuse the other's case of the same number.
const MISLABELLED: [(&str, u64, &str); 8] = [
    (SIGNATURES, 346, "the key's alg PS256 contradicts the header's PS384 (the file labels such mismatches invalid elsewhere)"),
    (SIGNATURES, 347, "the key's alg ES521 is not a JWA algorithm (json_web_key_test tcId 19 labels it invalid)"),
    (SIGNATURES, 350, "as 346, with key_ops"),
    (SIGNATURES, 351, "as 347, with key_ops"),
    (SIGNATURES, 367, "byte-identical to tcId 357, which is labelled valid (C2SP/wycheproof#236)"),
    (SIGNATURES, 370, "byte-identical to tcId 357, which is labelled valid (C2SP/wycheproof#236)"),
    (SIGNATURES, 372, "a '?' in a segment is not base64url; it verifies only if silently dropped"),
    (SIGNATURES, 373, "a '?' in a segment is not base64url; it verifies only if silently dropped"),
];

/// File, tcId, and the policy edgeauth does not enforce (as jose and ring do not).
const NOT_ENFORCED: [(&str, u64, &str); 1] =
    [(KEYS, 7, "RSA moduli with the ROCA fingerprint (CVE-2017-15361) are not detected")];

fn load(name: &str) -> Value {
    let path = format!("{}/tests/vectors/wycheproof/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The group's verification key: `public` when given, else `private`.
fn group_key(group: &Value) -> &Value {
    group.get("public").unwrap_or(&group["private"])
}

/// Checks every test of `file`, verifying with the key set `keys_of` makes.
fn run(file: &str, keys_of: impl Fn(&Value) -> Option<KeySet>) {
    let vectors = load(file);
    let mut checked = 0;
    let mut seen = Vec::new();
    for group in vectors["testGroups"].as_array().unwrap() {
        let keys = keys_of(group_key(group));
        for test in group["tests"].as_array().unwrap() {
            let token = test["jws"].as_str().unwrap();
            let accepted = keys.as_ref().is_some_and(|keys| {
                jws::verify(token, keys, &Algorithm::ALL, DEFAULT_MAX_TOKEN_SIZE).is_ok()
            });
            let id = test["tcId"].as_u64().unwrap();
            let expected = test["result"] == "valid";
            match MISLABELLED.iter().find(|(in_file, mislabelled, _)| (*in_file, *mislabelled) == (file, id)) {
                Some((_, _, why)) => assert_eq!(accepted, !expected, "{file} tcId {id} ({why})"),
                None if NOT_ENFORCED.iter().any(|(in_file, skipped, _)| (*in_file, *skipped) == (file, id)) => {}
                None => assert_eq!(accepted, expected, "{file} tcId {id}: {}", test["comment"]),
            }
            seen.push(id);
            checked += 1;
        }
    }
    assert_eq!(checked, vectors["numberOfTests"], "{file}");
    let listed = MISLABELLED.iter().map(|(f, id, _)| (*f, *id)).chain(NOT_ENFORCED.iter().map(|(f, id, _)| (*f, *id)));
    for (_, id) in listed.filter(|(in_file, _)| *in_file == file) {
        assert!(seen.contains(&id), "{file} has no tcId {id}, which is listed as an exception");
    }
}

#[test]
fn json_web_signature() {
    run(SIGNATURES, |jwk| {
        let key = Key::from_jwk(jwk.as_object()?).ok()?;
        let mut set = KeySet::new();
        set.add(key);
        Some(set)
    });
}

#[test]
fn json_web_key() {
    run(KEYS, |jwks| KeySet::from_jwks(jwks.as_object()?).ok());
}
