//! JWT providers for the gateway: whose tokens it accepts, and how to check them.
//!
//! `JWT_PROVIDERS` is a JSON array; each provider names its `issuer`,
//! `audiences`, `algorithms` and `clock_tolerance`, and where its keys are:
//! `{"type": "self"}` (this Worker's own keys and settings, the default),
//! `{"type": "jwks", "jwks": {...}}` (a static JWK Set), `{"type": "hmac"}`
//! (the secret `GATEWAY_HMAC_SECRET`), or `{"type": "remote_jwks", "url": ...}`.
//! A token is checked by the one provider whose issuer it claims. A remote
//! JWK Set is cached per isolate for its `Cache-Control: max-age` (kept within
//! 1 minute and 1 hour); when it cannot be fetched and no copy is cached, the
//! answer is 503: never accepted unverified.

use crate::jwt::{Validation, Verifier, DEFAULT_CAPACITY};
use crate::{Algorithm, Key, KeySet};
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum Source {
    #[serde(rename = "self")]
    Own,
    Jwks { jwks: Map<String, Value>, #[serde(flatten)] checks: Checks },
    Hmac { #[serde(flatten)] checks: Checks },
    RemoteJwks { url: String, #[serde(flatten)] checks: Checks },
}

/// What a provider's tokens must satisfy.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Checks {
    pub issuer: String,
    #[serde(default)]
    pub audiences: Vec<String>,
    pub algorithms: Vec<String>,
    #[serde(default)]
    pub clock_tolerance: u64,
}

/// A provider ready to verify: static keys are imported once.
pub(crate) enum Provider {
    Own,
    Static(Verifier<KeySet>),
    Hmac(Verifier<Key>),
    Remote { url: String, validation: Validation },
}

pub(crate) fn parse(json: Option<&str>, hmac_secret: Option<&str>) -> Result<Vec<(Option<String>, Provider)>, String> {
    let sources: Vec<Source> = match json {
        None => vec![Source::Own],
        Some(json) => serde_json::from_str(json).map_err(|e| format!("is not a valid provider list: {e}"))?,
    };
    sources.into_iter().map(|source| build(source, hmac_secret)).collect()
}

/// The provider and the issuer it serves (`None`: this Worker's own issuer).
fn build(source: Source, hmac_secret: Option<&str>) -> Result<(Option<String>, Provider), String> {
    Ok(match source {
        Source::Own => (None, Provider::Own),
        Source::Jwks { jwks, checks } => {
            let keys = KeySet::from_jwks(&jwks).map_err(|e| format!("has an invalid JWK Set: {e}"))?;
            (Some(checks.issuer.clone()), Provider::Static(Verifier::new(keys, validation(&checks)?, DEFAULT_CAPACITY)))
        }
        Source::Hmac { checks } => {
            let secret = hmac_secret.ok_or("names an hmac provider but GATEWAY_HMAC_SECRET is not set")?;
            let alg = validation(&checks)?.algorithms.first().copied().ok_or("lists no algorithm")?;
            let key = Key::from_secret(secret.as_bytes(), alg, None).map_err(|e| format!("has an unusable HMAC secret: {e}"))?;
            (Some(checks.issuer.clone()), Provider::Hmac(Verifier::new(key, validation(&checks)?, DEFAULT_CAPACITY)))
        }
        Source::RemoteJwks { url, checks } => {
            check_remote_url(&url)?;
            (Some(checks.issuer.clone()), Provider::Remote { url, validation: validation(&checks)? })
        }
    })
}

/// A remote JWKS is fetched over https; plain http only from this machine
/// (local identity providers in development and tests).
fn check_remote_url(url: &str) -> Result<(), String> {
    let parsed = worker::Url::parse(url).map_err(|_| format!("has a remote JWKS URL that does not parse: {url}"))?;
    let loopback = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(format!("has a remote JWKS URL that is not https: {url}")),
    }
}

fn validation(checks: &Checks) -> Result<Validation, String> {
    let algorithms = checks
        .algorithms
        .iter()
        .map(|name| Algorithm::from_name(name).ok_or_else(|| format!("lists an unknown algorithm {name}")))
        .collect::<Result<Vec<_>, _>>()?;
    if algorithms.is_empty() {
        return Err("lists no algorithm for a provider".into());
    }
    Ok(Validation {
        issuers: vec![checks.issuer.clone()],
        audiences: checks.audiences.clone(),
        clock_tolerance: checks.clock_tolerance,
        ..Validation::new(&algorithms)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_own_keys_and_refuses_bad_lists() {
        assert!(matches!(parse(None, None).unwrap().as_slice(), [(None, Provider::Own)]));
        let hmac = r#"[{"type": "hmac", "issuer": "i", "algorithms": ["HS256"]}]"#;
        assert!(parse(Some(hmac), None).is_err());
        assert!(parse(Some(hmac), Some("short")).is_err());
        assert!(parse(Some(hmac), Some(&"s".repeat(32))).is_ok());
        for bad in [r#"[{"type": "magic"}]"#, r#"[{"type": "hmac", "issuer": "i", "algorithms": []}]"#,
            r#"[{"type": "remote_jwks", "url": "http://evil", "issuer": "i", "algorithms": ["RS256"]}]"#,
            r#"[{"type": "jwks", "jwks": {}, "issuer": "i", "algorithms": ["RS256"]}]"#] {
            assert!(parse(Some(bad), Some(&"s".repeat(32))).is_err(), "{bad}");
        }
    }

    #[test]
    fn remote_sets_come_over_https_or_from_this_machine() {
        for good in ["https://idp.example/jwks", "http://127.0.0.1:9000/jwks", "http://localhost/jwks", "http://[::1]/jwks"] {
            assert!(check_remote_url(good).is_ok(), "{good}");
        }
        for bad in ["http://localhost.evil.example/jwks", "http://127.0.0.1.evil.example/", "http://idp.example/", "ftp://idp.example/", "not a url"] {
            assert!(check_remote_url(bad).is_err(), "{bad}");
        }
    }
}
