//! `edgeauth verify` and `edgeauth decode`: a token from stdin.

use edgeauth::jwt::{self, Validation};
use clap::builder::NonEmptyStringValueParser;
use edgeauth::{Algorithm, Key, KeySet};
use serde_json::{json, Value};
use std::io::Read;

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// A JWK Set, a single JWK or a PEM public key: a file path or an http(s) URL.
    #[arg(long)]
    jwks: String,
    /// Accepted algorithms, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    alg: Vec<String>,
    // An empty value (say `--iss "$ISSUER"` with ISSUER unset) is a usage
    // error rather than an issuer, audience or typ that is never sent.
    /// Accepted issuer(s).
    #[arg(long, value_parser = NonEmptyStringValueParser::new())]
    iss: Vec<String>,
    /// Accepted audience(s).
    #[arg(long, value_parser = NonEmptyStringValueParser::new())]
    aud: Vec<String>,
    /// Expected header typ.
    #[arg(long, value_parser = NonEmptyStringValueParser::new())]
    typ: Option<String>,
    /// Seconds of clock skew tolerated.
    #[arg(long, default_value_t = 0)]
    clock_tolerance: u64,
    /// Accept a token without exp.
    #[arg(long)]
    no_exp: bool,
}

pub fn run(args: &VerifyArgs) -> Result<(), String> {
    let algorithms = args
        .alg
        .iter()
        .map(|name| Algorithm::from_name(name).ok_or_else(|| format!("unknown algorithm {name}")))
        .collect::<Result<Vec<_>, _>>()?;
    let validation = Validation {
        issuers: listed(&args.iss),
        audiences: listed(&args.aud),
        typ: args.typ.clone(),
        clock_tolerance: args.clock_tolerance,
        require_exp: !args.no_exp,
        ..Validation::new(&algorithms)
    };
    let keys = load_keys(&read_source(&args.jwks)?, &algorithms)?;
    let token = read_token()?;
    let verified = jwt::verify(&token, &keys, &validation).map_err(|e| format!("{}: {e}", e.code()))?;
    print_jwt(verified);
    Ok(())
}

/// A flag given one or more times is a check; a flag never given is none.
fn listed(values: &[String]) -> Option<Vec<String>> {
    (!values.is_empty()).then(|| values.to_vec())
}

pub fn decode() -> Result<(), String> {
    eprintln!("edgeauth: decoded WITHOUT verification: do not trust these claims");
    let decoded = jwt::decode(&read_token()?).map_err(|e| format!("{}: {e}", e.code()))?;
    print_jwt(decoded);
    Ok(())
}

fn print_jwt(jwt: jwt::Jwt) {
    let out = json!({"header": jwt.header.into_members(), "claims": jwt.claims});
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
}

fn read_token() -> Result<String, String> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).map_err(|e| format!("cannot read stdin: {e}"))?;
    Ok(input.trim_end_matches(['\n', '\r']).to_owned())
}

fn read_source(source: &str) -> Result<String, String> {
    if source.starts_with("https://") || source.starts_with("http://") {
        let timeout = Some(std::time::Duration::from_secs(10));
        let request = ureq::get(source).config().timeout_global(timeout).build();
        let mut response = request.call().map_err(|e| format!("{source}: {e}"))?;
        return response.body_mut().read_to_string().map_err(|e| format!("{source}: {e}"));
    }
    std::fs::read_to_string(source).map_err(|e| format!("cannot read {source}: {e}"))
}

/// A JWK Set, a single JWK, or a PEM public key (for the first algorithm).
fn load_keys(text: &str, algorithms: &[Algorithm]) -> Result<KeySet, String> {
    let trimmed = text.trim();
    let mut set = KeySet::new();
    if trimmed.starts_with("-----BEGIN") {
        let alg = *algorithms.first().ok_or("no algorithm")?;
        set.add(Key::from_pem(trimmed, alg, None).map_err(|e| format!("{}: {e}", e.code()))?);
        return Ok(set);
    }
    let json: Value = serde_json::from_str(trimmed).map_err(|e| format!("not a JWK, JWK Set or PEM: {e}"))?;
    let object = json.as_object().ok_or("not a JWK, JWK Set or PEM")?;
    if object.contains_key("keys") {
        return KeySet::from_jwks(object).map_err(|e| format!("{}: {e}", e.code()));
    }
    set.add(Key::from_jwk(object).map_err(|e| format!("{}: {e}", e.code()))?);
    Ok(set)
}
