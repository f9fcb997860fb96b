//! The Worker's configuration: `[vars]` and secrets, parsed once per isolate.
//!
//! Anything malformed is a [`ConfigError`] naming the setting; the Worker then
//! answers every request with `500 config_invalid` rather than run half
//! configured. No default ever stands in for a missing secret.

use crate::policy::{Method as AuthMethod, Policy};
use crate::secret_hash::check_stored_hash;
use super::providers::{self, Provider};
use crate::apikey::ApiKeyFormat;
use crate::at_rest::Kek;
use crate::http_auth::{ServiceTokenSource, DEFAULT_SERVICE_TOKEN_HEADER};
use std::collections::HashMap;
use crate::b64;
use crate::Algorithm;
use std::fmt;
use worker::Env;

/// Where the gateway sends a request that passed its checks.
#[derive(Debug)]
pub(crate) enum Origin {
    /// `ORIGIN_URL`: an http(s) base URL the request's path is appended to.
    Url(String),
    /// `ECHO_ORIGIN=true`, development only: the built-in origin that answers
    /// with the identity it received.
    Echo,
}

/// A setting that is missing or malformed.
#[derive(Debug, Clone)]
pub(crate) struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub(crate) struct Config {
    pub issuer: String,
    pub audiences: Vec<String>,
    pub token_lifetime: u64,
    pub signing_alg: Algorithm,
    pub key_overlap: u64,
    pub jwks_max_age: u64,
    pub bootstrap_dev_key: bool,
    pub kek: Kek,
    /// SHA-256 of the admin bearer token (a 256-bit random secret).
    pub admin_token_sha256: Vec<u8>,
    pub policy: Policy,
    /// The API keys this Worker issues and accepts (`API_KEY_PREFIX`, default `eak`).
    pub api_key_format: ApiKeyFormat,
    /// Where authenticated gateway requests go; `None` only with an empty policy.
    pub origin: Option<Origin>,
    /// Where a service token is presented, and the hash it must match.
    pub service_token: ServiceTokenSource,
    pub service_token_hash: Option<String>,
    /// Basic-auth users and their password hashes (PBKDF2 or bcrypt).
    pub basic_users: HashMap<String, String>,
    /// Whose JWTs the gateway accepts, by issuer (`None`: this Worker's own).
    pub providers: Vec<(Option<String>, Provider)>,
}

impl Config {
    pub(crate) fn from_env(env: &Env) -> Result<Config, ConfigError> {
        let text = |name: &str| env.var(name).ok().map(|v| v.to_string()).or_else(|| secret(env, name));
        let required = |name: &str| text(name).filter(|v| !v.trim().is_empty()).ok_or_else(|| missing(name));
        let policy = Policy::parse(text("GATEWAY_POLICY").as_deref().unwrap_or("[]"))
            .map_err(|why| invalid("GATEWAY_POLICY", &why))?;
        let signing_alg = signing_alg(text("SIGNING_ALG"))?;
        let bootstrap_dev_key = text("BOOTSTRAP_DEV_SIGNING_KEY").as_deref() == Some("true");
        if bootstrap_dev_key && signing_alg == Algorithm::RS256 {
            return Err(invalid("SIGNING_ALG", "RS256 keys cannot be generated in the Worker, so BOOTSTRAP_DEV_SIGNING_KEY needs ES256 or EdDSA"));
        }
        Ok(Config {
            issuer: required("ISSUER")?,
            audiences: list(&required("ALLOWED_AUDIENCES")?),
            token_lifetime: number(text("TOKEN_LIFETIME_SECONDS"), "TOKEN_LIFETIME_SECONDS", 20)?,
            signing_alg,
            key_overlap: number(text("KEY_OVERLAP_SECONDS"), "KEY_OVERLAP_SECONDS", 3600)?,
            jwks_max_age: number(text("JWKS_MAX_AGE_SECONDS"), "JWKS_MAX_AGE_SECONDS", 300)?,
            bootstrap_dev_key,
            kek: Kek::from_base64url(&required("KEY_ENCRYPTION_KEY")?)
                .map_err(|_| invalid("KEY_ENCRYPTION_KEY", "must be 32 bytes in base64url"))?,
            admin_token_sha256: hex(&required("ADMIN_TOKEN_HASH")?)
                .ok_or_else(|| invalid("ADMIN_TOKEN_HASH", "must be a SHA-256 in hex"))?,
            api_key_format: match text("API_KEY_PREFIX") {
                None => ApiKeyFormat::default(),
                Some(prefix) => ApiKeyFormat::new(prefix.trim())
                    .map_err(|_| invalid("API_KEY_PREFIX", "must be a lowercase letter then lowercase letters or digits"))?,
            },
            origin: origin(text("ORIGIN_URL"), text("ECHO_ORIGIN").as_deref() == Some("true"), &policy)?,
            service_token: ServiceTokenSource::new(text("SERVICE_TOKEN_HEADER").as_deref().unwrap_or(DEFAULT_SERVICE_TOKEN_HEADER), true)
                .map_err(|_| invalid("SERVICE_TOKEN_HEADER", "must be an HTTP header name"))?,
            service_token_hash: service_token_hash(text("SERVICE_TOKEN_HASH"), &policy)?,
            basic_users: basic_users(text("BASIC_USERS"), &policy)?,
            providers: providers::parse(text("JWT_PROVIDERS").as_deref(), text("GATEWAY_HMAC_SECRET").as_deref())
                .map_err(|why| invalid("JWT_PROVIDERS", &why))?,
            policy,
        })
    }
}

fn secret(env: &Env, name: &str) -> Option<String> {
    env.secret(name).ok().map(|s| s.to_string())
}

fn missing(name: &str) -> ConfigError {
    ConfigError(format!("{name} is not set"))
}

fn invalid(name: &str, why: &str) -> ConfigError {
    ConfigError(format!("{name} {why}"))
}

fn list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn number(text: Option<String>, name: &str, default: u64) -> Result<u64, ConfigError> {
    match text {
        None => Ok(default),
        Some(text) => text.trim().parse().map_err(|_| invalid(name, "must be a whole number of seconds")),
    }
}

fn origin(url: Option<String>, echo: bool, policy: &Policy) -> Result<Option<Origin>, ConfigError> {
    match url.filter(|url| !url.trim().is_empty()) {
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
            worker::Url::parse(&url).map_err(|_| invalid("ORIGIN_URL", "is not a valid URL"))?;
            Ok(Some(Origin::Url(url.trim_end_matches('/').to_owned())))
        }
        Some(_) => Err(invalid("ORIGIN_URL", "must be an http:// or https:// URL")),
        None if echo => Ok(Some(Origin::Echo)),
        None if policy.is_empty() => Ok(None),
        None => Err(invalid("ORIGIN_URL", "is not set, and GATEWAY_POLICY has routes to forward (ECHO_ORIGIN=true serves the built-in echo origin, for development only)")),
    }
}

/// The service token's stored hash: required, and well formed, once a route accepts service tokens.
fn service_token_hash(text: Option<String>, policy: &Policy) -> Result<Option<String>, ConfigError> {
    let hash = text.filter(|hash| !hash.trim().is_empty());
    match &hash {
        Some(hash) => check_stored_hash(hash).map_err(|e| invalid("SERVICE_TOKEN_HASH", &e.to_string()))?,
        None if policy.accepts(AuthMethod::ServiceToken) => return Err(missing("SERVICE_TOKEN_HASH")),
        None => {}
    }
    Ok(hash)
}

/// Basic-auth users and their stored hashes, each checked now rather than at a user's first login.
fn basic_users(text: Option<String>, policy: &Policy) -> Result<HashMap<String, String>, ConfigError> {
    let users: HashMap<String, String> = serde_json::from_str(text.as_deref().unwrap_or("{}"))
        .map_err(|_| invalid("BASIC_USERS", "must be a JSON object of user names to password hashes"))?;
    if users.is_empty() && policy.accepts(AuthMethod::Basic) {
        return Err(missing("BASIC_USERS"));
    }
    for (user, hash) in &users {
        check_stored_hash(hash).map_err(|e| invalid("BASIC_USERS", &format!("has an unusable hash for \"{user}\": {e}")))?;
    }
    Ok(users)
}

fn signing_alg(text: Option<String>) -> Result<Algorithm, ConfigError> {
    match text.as_deref().unwrap_or("ES256") {
        "ES256" => Ok(Algorithm::ES256),
        "EdDSA" => Ok(Algorithm::EdDSA),
        "RS256" => Ok(Algorithm::RS256),
        _ => Err(invalid("SIGNING_ALG", "must be ES256, EdDSA or RS256")),
    }
}

fn hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if text.len() != 64 {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| text.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok())).collect()
}

/// Base64url JSON, as the forwarded identity headers carry it.
pub(crate) fn encode_header_json(value: &serde_json::Value) -> String {
    b64::encode(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_numbers_and_hex() {
        assert_eq!(list(" a, b ,,c"), vec!["a", "b", "c"]);
        assert_eq!(number(Some("30".into()), "X", 20).unwrap(), 30);
        assert_eq!(number(None, "X", 20).unwrap(), 20);
        assert!(number(Some("-1".into()), "X", 20).unwrap_err().0.starts_with("X "));
        assert_eq!(hex(&"ab".repeat(32)).unwrap(), vec![0xab; 32]);
        assert!(hex("abc").is_none() && hex(&"zz".repeat(32)).is_none());
        assert!(signing_alg(Some("HS256".into())).is_err());
    }

    #[test]
    fn credentials_a_route_accepts_must_be_configured_and_well_formed() {
        let service = Policy::parse(r#"[{"prefix": "/s/", "auth": ["service_token"]}]"#).unwrap();
        let basic = Policy::parse(r#"[{"prefix": "/b/", "auth": ["basic"]}]"#).unwrap();
        let moose = "0123456789abcdef0123456789abcdef01234567".to_owned();
        assert_eq!(service_token_hash(None, &service).unwrap_err().0, "SERVICE_TOKEN_HASH is not set");
        assert_eq!(service_token_hash(None, &basic).unwrap(), None);
        assert!(service_token_hash(Some("$pbkdf2-sha256$i=1$x$y".into()), &basic).unwrap_err().0.starts_with("SERVICE_TOKEN_HASH "));
        assert_eq!(service_token_hash(Some(moose.clone()), &service).unwrap(), Some(moose.clone()));
        assert_eq!(basic_users(None, &basic).unwrap_err().0, "BASIC_USERS is not set");
        assert!(basic_users(Some(r#"{"ann": "plaintext"}"#.into()), &service).unwrap_err().0.contains("\"ann\""));
        assert_eq!(basic_users(Some(format!(r#"{{"ann": "{moose}"}}"#)), &basic).unwrap().len(), 1);
    }

    #[test]
    fn an_origin_is_required_once_the_policy_forwards() {
        let routes = Policy::parse(r#"[{"prefix": "/api/", "auth": ["jwt"]}]"#).unwrap();
        let empty = Policy::default();
        assert!(matches!(origin(Some("https://o.example/".into()), false, &routes), Ok(Some(Origin::Url(u))) if u == "https://o.example"));
        assert!(matches!(origin(None, true, &routes), Ok(Some(Origin::Echo))));
        assert!(matches!(origin(None, false, &empty), Ok(None)));
        assert!(origin(None, false, &routes).unwrap_err().0.starts_with("ORIGIN_URL "));
        assert!(origin(Some("ftp://o.example".into()), false, &routes).is_err());
    }
}
