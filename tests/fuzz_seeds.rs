//! Writes the fuzzers' seed corpora from real tokens and keys, so that a fuzz
//! run starts from inputs that reach deep into the parsers. Run by
//! `scripts/fuzz.sh` before fuzzing (`cargo test --test fuzz_seeds`).

mod common;

use common::{private_key, public_key};
use edgeauth::jwt::Mint;
use edgeauth::{Algorithm, KeySet};
use serde_json::json;
use std::fs;
use std::path::PathBuf;

fn seed_dir(target: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn write_seed_corpora() {
    let tokens = seed_dir("jwt_verify");
    let keys = seed_dir("key_import");
    let mut set = KeySet::new();
    for alg in Algorithm::ALL {
        let key = private_key(alg);
        let claims = json!({"sub": "seed", "aud": ["a", "b"], "exp": 2e9, "nbf": 1, "iat": 1});
        let mint = Mint { header: json!({"crit": ["x"], "x": 1}).as_object().unwrap().clone(), ..Mint::default() };
        let token = Mint::default().sign(claims.as_object().unwrap(), &key).unwrap();
        fs::write(tokens.join(alg.name()), token).unwrap();
        if let Ok(token) = mint.sign(claims.as_object().unwrap(), &key) {
            fs::write(tokens.join(format!("{}-crit", alg.name())), token).unwrap();
        }
        let jwk = serde_json::Value::Object(key.to_jwk(true).unwrap());
        fs::write(keys.join(format!("{}.jwk", alg.name())), jwk.to_string()).unwrap();
        set.add(public_key(&key));
    }
    let credentials = seed_dir("credentials");
    let api_key = edgeauth::apikey::ApiKeyFormat::default().generate().unwrap();
    for (name, seed) in [("apikey", api_key.token.clone()), ("hash", api_key.hash.clone()), ("bearer", format!("Bearer {}", api_key.token)),
        ("basic", "Basic YWRhOnB3".to_owned()), ("pbkdf2", "$pbkdf2-sha256$i=10000$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_owned()),
        ("moose", format!("{}.{}?token=abc", "a".repeat(32), "b".repeat(32)))] {
        fs::write(credentials.join(name), seed).unwrap();
    }
    let routing = seed_dir("routing");
    fs::write(routing.join("request"), "POST /api/admin/users").unwrap();
    fs::write(routing.join("policy"), r#"[{"prefix": "/a/", "methods": ["GET"], "auth": ["basic"], "scopes": ["s"]}]"#).unwrap();
    let chain = seed_dir("chain");
    for (name, seed) in [
        ("moose", "jwt,key:ingest\nAuthorization: Bearer static-key"),
        ("basic", "basic,jwt\nAuthorization: Basic YW5uOnN0YXRpYy1rZXk="),
        ("websocket", "service_token\nupgrade: websocket\n?room=1&token=static-key"),
        ("header_key", "jwt,api_key,key:x!\nX-Key: static-key\nX-API-Key: eak_x"),
        ("session", "session,jwt\nmethod: POST\nsession: live-1 write\norigin: https://dash.example"),
    ] {
        fs::write(chain.join(name), seed).unwrap();
    }
    let options = seed_dir("validation_options");
    for (name, seed) in [("zeros", vec![0u8; 64]), ("ones", vec![1u8; 64]), ("counting", (0..64).collect()), ("high", (0..64).map(|i| 255 - i).collect())] {
        fs::write(options.join(name), seed).unwrap();
    }
    let paths = seed_dir("request_path");
    for (name, seed) in [("plain", "/api/v1/users/"), ("escapes", "/%61pi/%c3%a9/%3F;v=1"), ("dots", "/a/.%2E/b/..;x"), ("encoded_slash", "/a%2Fb//c%5C")] {
        fs::write(paths.join(name), seed).unwrap();
    }
    fs::write(keys.join("set.jwks"), serde_json::Value::Object(set.to_public_jwks()).to_string()).unwrap();
    for pem in fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data")).unwrap() {
        let path = pem.unwrap().path();
        if path.extension().is_some_and(|e| e == "pem") {
            fs::copy(&path, keys.join(path.file_name().unwrap())).unwrap();
        }
    }
}

/// The remote key set target's seeds: header lines, a body, then operations
/// (see fuzz/fuzz_targets/remote_jwks.rs).
#[test]
fn write_remote_jwks_seeds() {
    let dir = seed_dir("remote_jwks");
    let ops: String = [0u8, 2, 0, 36, 4, 64, 0, 2, 3, 4, 6, 128, 1, 2, 0].iter().map(|&op| char::from(op)).collect();
    for (name, headers) in [
        ("max_age", "public, max-age=300, stale-if-error=60\n10\n\n\n\"v1\"\n"),
        ("expires", "\n\nSun, 06 Nov 1994 08:59:37 GMT\nSun, 06 Nov 1994 08:49:37 GMT\n\nSun, 06 Nov 1994 08:49:37 GMT"),
        ("no_store", "no-store, private=\"a, b\", s-maxage=\"5\"\n\n0\n\n\n"),
    ] {
        fs::write(dir.join(name), format!("{headers}\n\n{ops}")).unwrap();
    }
}

/// The key request target's seeds: bodies the admin API takes, and one it refuses.
#[test]
fn write_key_request_seeds() {
    let dir = seed_dir("key_request");
    for (name, body) in [
        ("full", json!({"tier": 2, "scopes": ["read", "write"], "audiences": ["autojoin"], "expires_at": "2030-01-01T08:00:00.5+02:00", "key_description": "ci"})),
        ("epoch", json!({"expires_at": 1_900_000_000u64, "audiences": ["integration", "autojoin"]})),
        ("refused", json!({"audiences": ["elsewhere"], "expires_at": "2020-02-30T00:00:00Z"})),
    ] {
        fs::write(dir.join(name), body.to_string()).unwrap();
    }
}
