//! The `edgeauth` CLI end to end: the built binary, its output checked with the library.
#![cfg(feature = "cli")]

use edgeauth::apikey::ApiKeyFormat;
use edgeauth::jwt::{self, Mint, Validation};
use edgeauth::secret_hash::verify_secret;
use edgeauth::{Algorithm, Key};
use serde_json::{json, Map, Value};
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn edgeauth(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_edgeauth"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that exits before reading its input (a usage error) closes the pipe first.
    if let Err(error) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
    }
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The value after `label` on the line that starts with it.
fn field<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines().find_map(|line| line.strip_prefix(label)).unwrap().trim()
}

/// The JSON documents printed between `#` comment lines.
fn documents(text: &str) -> Vec<Map<String, Value>> {
    text.split('#').skip(1).map(|part| {
        let body = part.split_once('\n').unwrap().1;
        serde_json::from_str::<Value>(body).unwrap().as_object().unwrap().clone()
    }).collect()
}

#[test]
fn hash_token_prints_a_token_and_a_hash_that_verifies() {
    for format in ["edgeauth", "moose"] {
        let out = stdout(&edgeauth(&["hash-token", "--format", format], ""));
        let token = field(&out, "token (give it to the client, shown once):");
        let hash = field(&out, "hash (store it, e.g. as a secret):");
        assert!(verify_secret(token.as_bytes(), hash).unwrap(), "{format}");
        assert!(!verify_secret(b"other", hash).unwrap(), "{format}");
    }
}

#[test]
fn hash_token_hashes_a_token_from_standard_input() {
    let token = "Kq3v8ZpL0xYt7RmN2bWc5HdJ9sFgA4eU6iOkT1yQwErPzXnM";
    let hash = stdout(&edgeauth(&["hash-token", "--stdin"], &format!("{token}\n")));
    assert!(verify_secret(token.as_bytes(), hash.trim()).unwrap());
    assert!(!hash.contains(token));
    assert!(!edgeauth(&["hash-token", "--stdin"], "short\n").status.success());
    assert!(!edgeauth(&["hash-token", "--stdin", "--format", "moose"], &format!("{token}\n")).status.success());
}

#[test]
fn keygen_prints_a_private_and_a_public_jwk_for_each_algorithm() {
    for alg in ["ES256", "ES384", "ES512", "EdDSA", "RS256", "PS256"] {
        let out = stdout(&edgeauth(&["keygen", "--alg", alg], ""));
        let docs = documents(&out);
        let (private, public) = (Key::from_jwk(&docs[0]).unwrap(), Key::from_jwk(&docs[1]).unwrap());
        assert!(private.is_private() && !public.is_private(), "{alg}");
        assert_eq!(private.kid(), Some(private.thumbprint().as_str()));
        for member in ["d", "p", "q", "dp", "dq", "qi"] {
            assert!(!docs[1].contains_key(member), "{alg}: {member}");
        }
        let token = Mint { expires_in: Some(60), ..Mint::default() }.sign(&Map::new(), &private).unwrap();
        let alg = Algorithm::from_name(alg).unwrap();
        jwt::verify(&token, &public, &Validation::new(&[alg])).unwrap();
    }
    let secret = documents(&stdout(&edgeauth(&["keygen", "--alg", "HS256", "--kid", "mine"], "")));
    assert_eq!(secret.len(), 1, "an HMAC secret has no public form");
    assert_eq!(secret[0]["kid"], "mine");
}

#[test]
fn create_integration_prints_the_key_once_and_its_kv_records() {
    let out = stdout(&edgeauth(&["create-integration", "--integration-id", "acme", "--tier", "3", "--scopes", "read,write"], ""));
    let token = field(&out, "API key (shown once, give it to the integration):");
    let key_id = ApiKeyFormat::default().parse(token).unwrap();
    let records: Vec<Value> = out.lines().filter(|l| l.starts_with('{')).map(|l| serde_json::from_str(l).unwrap()).collect();
    let record = records.iter().find(|r| r["key"] == format!("apikey:{key_id}")).unwrap();
    assert!(verify_secret(token.as_bytes(), record["value"]["hash"].as_str().unwrap()).unwrap());
    assert_eq!(record["value"]["scopes"], json!(["read", "write"]));
    assert!(records.iter().any(|r| r["key"] == "integration:acme" && r["value"]["tier"] == 3));
    assert_eq!(out.lines().filter(|l| l.starts_with("npx wrangler kv key put")).count(), 2);
}

#[test]
fn verify_and_decode_tokens_from_stdin() {
    let key = Key::generate(Algorithm::ES256, None).unwrap();
    let dir = std::env::temp_dir().join(format!("edgeauth-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let jwks = dir.join("jwks.json");
    std::fs::write(&jwks, json!({"keys": [key.to_jwk(false).unwrap()]}).to_string()).unwrap();
    let jwks = jwks.to_str().unwrap();
    let mint = Mint { issuer: Some("i".into()), expires_in: Some(60), ..Mint::default() };
    let token = mint.sign(json!({"sub": "u"}).as_object().unwrap(), &key).unwrap();
    let out = stdout(&edgeauth(&["verify", "--jwks", jwks, "--alg", "ES256", "--iss", "i"], &format!("{token}\n")));
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["claims"]["sub"], "u");
    let expired = Mint { expires_in: Some(1), current_time: Some(1000), ..Mint::default() }.sign(&Map::new(), &key).unwrap();
    for (input, code) in [(expired.as_str(), "ERR_JWT_EXPIRED"), ("garbage", "ERR_JWS_INVALID")] {
        let failed = edgeauth(&["verify", "--jwks", jwks, "--alg", "ES256"], input);
        assert_eq!(failed.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&failed.stderr).contains(code), "{code}");
    }
    let decoded = stdout(&edgeauth(&["decode"], &token));
    assert_eq!(serde_json::from_str::<Value>(&decoded).unwrap()["claims"]["iss"], "i");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn usage_errors_exit_2_with_help() {
    assert_eq!(edgeauth(&[], "").status.code(), Some(2));
    assert_eq!(edgeauth(&["keygen"], "").status.code(), Some(2));
    assert_eq!(edgeauth(&["keygen", "--alg", "none"], "").status.code(), Some(1));
    // An empty value (`--iss "$UNSET"`) is a usage error, not a check that can never pass or a scope named "".
    for flag in ["--iss", "--aud", "--typ"] {
        assert_eq!(edgeauth(&["verify", "--jwks", "x", "--alg", "ES256", flag, ""], "t").status.code(), Some(2), "{flag}");
    }
    assert_eq!(edgeauth(&["create-integration", "--integration-id", "a", "--scopes", "read,"], "").status.code(), Some(2));
    let help = stdout(&edgeauth(&["--help"], ""));
    for command in ["hash-token", "keygen", "create-integration", "verify", "decode"] {
        assert!(help.contains(command), "{command}");
    }
}
