//! `edgeauth import-signing-key`: a private signing key, read from stdin,
//! stored in a Worker through its admin API (`POST /admin/signing-keys`).
//!
//! The input is a private JWK, `edgeauth keygen`'s output as it is (its `#`
//! lines are skipped and the first JWK, the private one, is taken), or a PEM
//! document. The Worker checks the key; nothing of it is printed here.

use crate::admin_api;
use serde_json::{json, Value};
use std::io::Read;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The Worker's base URL.
    #[arg(long)]
    url: String,
    /// A file holding the admin token.
    #[arg(long)]
    admin_token_file: PathBuf,
    /// Store the key without making it current: it signs, and appears in the
    /// JWKS, once activated (POST /admin/signing-keys/{kid}/activate).
    #[arg(long)]
    stage: bool,
}

pub fn run(args: &Args) -> Result<(), String> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).map_err(|e| format!("cannot read the key from stdin: {e}"))?;
    let body = json!({"key": key(&input)?, "activate": !args.stage});
    let answer = admin_api::post_json(&args.url, &args.admin_token_file, "/admin/signing-keys", &body, 201)?;
    let kid = admin_api::field(&answer, "/admin/signing-keys", "kid")?;
    match args.stage {
        true => println!("staged signing key {kid} (activate: POST /admin/signing-keys/{kid}/activate)"),
        false => println!("current signing key: {kid}"),
    }
    Ok(())
}

/// The key as the admin API takes it: PEM text, or the first JSON object of
/// the input once its `#` comment lines are dropped.
fn key(input: &str) -> Result<Value, String> {
    if input.trim_start().starts_with("-----BEGIN") {
        return Ok(Value::String(input.to_owned()));
    }
    let json: String = input.lines().filter(|line| !line.trim_start().starts_with('#')).collect::<Vec<_>>().join("\n");
    let first = serde_json::Deserializer::from_str(&json).into_iter::<Value>().next();
    match first {
        Some(Ok(jwk @ Value::Object(_))) => Ok(jwk),
        _ => Err("stdin holds no private JWK (a JSON object, or `edgeauth keygen` output) and no PEM document".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_keygens_output_a_bare_jwk_or_a_pem() {
        let keygen = "# private JWK: keep it secret\n{\n  \"kty\": \"OKP\", \"d\": \"x\"\n}\n# public JWK: safe to publish\n{\"kty\": \"OKP\"}\n";
        assert_eq!(key(keygen).unwrap()["d"], "x");
        assert_eq!(key("{\"kty\": \"EC\"}").unwrap()["kty"], "EC");
        assert!(key("\n-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n").unwrap().is_string());
        for bad in ["", "# only a comment", "[1]", "not json"] {
            assert!(key(bad).is_err(), "{bad}");
        }
    }
}
