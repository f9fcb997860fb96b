//! Interop with `jose` (npm), both directions, for every algorithm.
//!
//! jose mints a token per algorithm with a fresh key, and edgeauth verifies it
//! against jose's public JWK; edgeauth mints a token per algorithm, and jose
//! verifies it against edgeauth's public JWK. Needs `node` and the dev
//! dependencies installed (`make test` does both).

mod common;

use common::{private_key, public_key};
use edgeauth::jwt::{self, Mint, Validation};
use edgeauth::{Algorithm, Key};
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/jose.mjs");

fn jose(mode: &str, input: Option<Value>) -> Value {
    let mut child = Command::new("node")
        .arg(SCRIPT)
        .arg(mode)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node must be installed (make test installs the dev dependencies)");
    let mut stdin = child.stdin.take().unwrap();
    if let Some(input) = input {
        stdin.write_all(input.to_string().as_bytes()).unwrap();
    }
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "jose.mjs {mode} failed: is jose installed? run `make test`");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn tokens_minted_by_jose_verify_here() {
    let cases = jose("mint", None);
    let cases = cases.as_array().unwrap();
    assert_eq!(algorithms_of(cases), all_names(), "jose must mint one token per algorithm");
    for case in cases {
        let alg = Algorithm::from_name(case["alg"].as_str().unwrap()).unwrap();
        let key = Key::from_jwk(case["jwk"].as_object().unwrap()).unwrap();
        let validation = Validation {
            issuers: Some(vec!["https://jose.example".into()]),
            audiences: Some(vec!["edgeauth".into()]),
            max_token_age: Some(60),
            ..Validation::new(&[alg])
        };
        let token = case["token"].as_str().unwrap();
        let verified = jwt::verify(token, &key, &validation).unwrap_or_else(|e| panic!("{alg}: {e}"));
        assert_eq!(verified.claims["nested"]["list"][1], 2.5);
        assert_eq!(verified.header.kid(), Some(format!("jose-{alg}").as_str()));
    }
}

#[test]
fn tokens_minted_here_verify_with_jose() {
    let mint = Mint {
        issuer: Some("https://edgeauth.example".into()),
        audience: vec!["jose".into()],
        expires_in: Some(300),
        ..Mint::default()
    };
    let cases: Vec<Value> = Algorithm::ALL
        .into_iter()
        .map(|alg| {
            let key = private_key(alg);
            let claims = json!({"sub": "interop"});
            let token = mint.sign(claims.as_object().unwrap(), &key).unwrap();
            let jwk = match alg.name().starts_with("HS") {
                true => key.to_jwk(true).unwrap(),
                false => public_key(&key).to_jwk(false).unwrap(),
            };
            json!({"alg": alg.name(), "jwk": jwk, "token": token})
        })
        .collect();
    let results = jose("verify", Some(Value::Array(cases)));
    let results = results.as_array().unwrap();
    assert_eq!(algorithms_of(results), all_names(), "jose must answer for every algorithm");
    for result in results {
        assert_eq!(result["ok"], true, "jose refused edgeauth's {}: {}", result["alg"], result["error"]);
    }
}

/// The `alg` of each case, in order.
fn algorithms_of(cases: &[Value]) -> Vec<&str> {
    cases.iter().map(|case| case["alg"].as_str().unwrap_or("(no alg)")).collect()
}

fn all_names() -> Vec<&'static str> {
    Algorithm::ALL.iter().map(|alg| alg.name()).collect()
}
