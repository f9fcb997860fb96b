//! Where a remote key set comes from: a JWK Set URL, or an OpenID issuer
//! whose discovery document (`/.well-known/openid-configuration`) names it.
//! Both must be https, or plain http to this machine (local identity
//! providers in development and tests); a discovery document must name
//! exactly the configured issuer.

use crate::{json, Error, Result};
use serde_json::Value;

/// Whether `url` may be fetched: https to a host name, or http to loopback.
pub fn allowed_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((host, port)) => (format!("[{host}]"), port),
            None => return false,
        },
        None => authority.split_once(':').map_or((authority.to_owned(), ""), |(host, port)| (host.to_owned(), port)),
    };
    let port_ok = port.is_empty() || port.strip_prefix(':').unwrap_or(port).bytes().all(|b| b.is_ascii_digit());
    let host_ok = !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b));
    let loopback = matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]");
    host_ok && port_ok && (scheme == "https" || (scheme == "http" && loopback))
}

/// The discovery document's URL for `issuer` (OpenID Connect Discovery 1.0 section 4).
pub fn discovery_url(issuer: &str) -> String {
    format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/'))
}

/// The `jwks_uri` of a discovery document fetched for `issuer`, which it
/// must name exactly (section 4.3), else tokens of another issuer could be
/// checked with its keys.
pub fn jwks_uri(document: &str, issuer: &str) -> Result<String> {
    let document = json::parse_object(document.as_bytes()).map_err(|_| Error::JwksInvalid("the discovery document is not a JSON object"))?;
    if document.get("issuer").and_then(Value::as_str) != Some(issuer) {
        return Err(Error::JwksInvalid("the discovery document names another issuer"));
    }
    match document.get("jwks_uri").and_then(Value::as_str) {
        Some(uri) if allowed_url(uri) => Ok(uri.to_owned()),
        Some(_) => Err(Error::JwksInvalid("the discovery document's jwks_uri is not https")),
        None => Err(Error::JwksInvalid("the discovery document has no jwks_uri")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_https_or_loopback() {
        for good in ["https://idp.example/jwks", "https://idp.example:8443/x", "http://127.0.0.1:9000/jwks", "http://localhost/jwks", "http://[::1]:80/jwks"] {
            assert!(allowed_url(good), "{good}");
        }
        for bad in ["http://localhost.evil.example/jwks", "http://127.0.0.1.evil.example/", "http://idp.example/", "ftp://idp.example/", "not a url",
            "http://127.0.0.1@evil.example/", "https:///jwks", "http://evil.example#@127.0.0.1/", "https://[::1/x"] {
            assert!(!allowed_url(bad), "{bad}");
        }
    }

    #[test]
    fn discovery_names_the_issuer_exactly() {
        assert_eq!(discovery_url("https://idp.example/"), "https://idp.example/.well-known/openid-configuration");
        assert_eq!(discovery_url("https://idp.example/tenant"), "https://idp.example/tenant/.well-known/openid-configuration");
        let doc = |issuer: &str, uri: &str| format!(r#"{{"issuer":"{issuer}","jwks_uri":"{uri}"}}"#);
        assert_eq!(jwks_uri(&doc("https://idp.example", "https://idp.example/k"), "https://idp.example").unwrap(), "https://idp.example/k");
        for (document, why) in [
            (doc("https://idp.example/", "https://idp.example/k"), "another issuer"),
            (doc("https://evil.example", "https://idp.example/k"), "another issuer"),
            (doc("https://idp.example", "http://idp.example/k"), "not https"),
            (r#"{"issuer":"https://idp.example"}"#.to_owned(), "no jwks_uri"),
            ("[]".to_owned(), "not a JSON object"),
        ] {
            assert!(jwks_uri(&document, "https://idp.example").unwrap_err().to_string().contains(why), "{document}");
        }
    }
}
