//! The session cookie: `<payload>.<mac>`, both base64url, where the payload
//! is the JSON `{"sid", "user", "exp"}` and the MAC is HMAC-SHA256 under the
//! session secret over a fixed label and the payload. Changing the secret
//! ends every session. The cookie is `HttpOnly; Secure; SameSite=Lax;
//! Path=/`, and a request that carries its name twice is refused rather than
//! guessed at (one of them could have been set by another site).

use crate::{b64, json, random, Error, Result};
use ring::hmac;
use serde::{Deserialize, Serialize};

/// The cookie's name unless configured: `__Host-` binds it to this host and `/`.
pub const DEFAULT_COOKIE_NAME: &str = "__Host-edgeauth_session";

/// Bound into every MAC, so that no other HMAC under the same secret passes.
const LABEL: &[u8] = b"edgeauth-session.v1.";
/// Longer values are not ours: refused before any work.
const MAX_VALUE_LEN: usize = 1024;

/// What a session cookie says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionCookie {
    pub sid: String,
    pub user: String,
    /// Expiry, seconds since the epoch.
    pub exp: u64,
}

impl SessionCookie {
    /// The signed cookie value.
    pub fn seal(&self, secret: &[u8]) -> Result<String> {
        let payload = b64::encode(serde_json::to_vec(self).map_err(|_| Error::JwtInvalid("a session cannot be written"))?);
        let mac = hmac::sign(&key(secret), &[LABEL, payload.as_bytes()].concat());
        Ok(format!("{payload}.{}", b64::encode(mac.as_ref())))
    }

    /// The session a cookie value carries, if its MAC verifies and it has not expired at `now`.
    pub fn open(value: &str, secret: &[u8], now: f64) -> Result<SessionCookie> {
        let refused = Error::CredentialRejected;
        if value.len() > MAX_VALUE_LEN {
            return Err(Error::CredentialMalformed("the session cookie is too long"));
        }
        let (payload, mac) = value.split_once('.').ok_or(Error::CredentialMalformed("the session cookie is malformed"))?;
        let mac = b64::decode(mac).ok_or(Error::CredentialMalformed("the session cookie is malformed"))?;
        hmac::verify(&key(secret), &[LABEL, payload.as_bytes()].concat(), &mac).map_err(|_| refused.clone())?;
        let bytes = b64::decode(payload).ok_or(refused.clone())?;
        let object = json::parse_object(&bytes).map_err(|_| refused.clone())?;
        let cookie: SessionCookie = serde_json::from_value(serde_json::Value::Object(object)).map_err(|_| refused)?;
        match (cookie.exp as f64) > now {
            true => Ok(cookie),
            false => Err(Error::CredentialExpired),
        }
    }
}

fn key(secret: &[u8]) -> hmac::Key {
    hmac::Key::new(hmac::HMAC_SHA256, secret)
}

/// A fresh session id: 128 random bits, base64url.
pub fn new_session_id() -> Result<String> {
    Ok(b64::encode(random::bytes::<16>()?))
}

/// The value of cookie `name` in a `Cookie` header: `None` when absent; an
/// error when it is there twice.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Result<Option<&'a str>> {
    let mut values = cookie_values(header, name);
    let first = values.next();
    match values.next() {
        Some(_) => Err(Error::CredentialMalformed("the session cookie is sent twice")),
        None => Ok(first),
    }
}

/// Every value of cookie `name` in a `Cookie` header (a logout ends each one that is ours).
pub fn cookie_values<'a, 'n>(header: &'a str, name: &'n str) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
    header.split(';').filter_map(|pair| pair.trim().split_once('=')).filter(move |(n, _)| *n == name).map(|(_, v)| v)
}

/// A `Cookie` header without cookie `name`, for the origin: `None` when it
/// has no such cookie (the header goes on as it is), else the other pairs
/// exactly as sent (empty when none is left).
pub fn without_cookie(header: &str, name: &str) -> Option<String> {
    let is_ours = |pair: &&str| pair.trim().split_once('=').is_some_and(|(n, _)| n == name);
    if !header.split(';').any(|pair| is_ours(&pair)) {
        return None;
    }
    Some(header.split(';').filter(|pair| !is_ours(pair)).map(str::trim).collect::<Vec<_>>().join("; "))
}

/// `Set-Cookie` for a new session that lives `max_age` seconds.
pub fn setting_cookie(name: &str, value: &str, max_age: u64) -> String {
    format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; Secure; SameSite=Lax")
}

/// `Set-Cookie` that removes the session cookie.
pub fn clearing_cookie(name: &str) -> String {
    format!("{name}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a session secret of enough length";

    fn cookie() -> SessionCookie {
        SessionCookie { sid: new_session_id().unwrap(), user: "ada".into(), exp: 2_000 }
    }

    #[test]
    fn a_sealed_cookie_opens_until_it_expires() {
        let sealed = cookie().seal(SECRET).unwrap();
        assert_eq!(SessionCookie::open(&sealed, SECRET, 1_999.0).unwrap().user, "ada");
        assert_eq!(SessionCookie::open(&sealed, SECRET, 2_000.0).unwrap_err(), Error::CredentialExpired);
        assert!(sealed.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)), "cookie-octets only");
    }

    #[test]
    fn tampering_or_another_secret_is_refused() {
        let sealed = cookie().seal(SECRET).unwrap();
        assert_eq!(SessionCookie::open(&sealed, b"another secret, rotated today", 0.0).unwrap_err(), Error::CredentialRejected);
        let (payload, mac) = sealed.split_once('.').unwrap();
        let forged = b64::encode(br#"{"sid":"x","user":"admin","exp":9999999999}"#);
        for bad in [format!("{forged}.{mac}"), format!("{payload}x.{mac}"), payload.to_string(), format!("{payload}.{mac}{mac}"), "x".repeat(2000)] {
            assert!(SessionCookie::open(&bad, SECRET, 0.0).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_the_named_cookie_once() {
        assert_eq!(cookie_value("a=1; kure_session=v.w; b=2", "kure_session").unwrap(), Some("v.w"));
        assert_eq!(cookie_value("a=1", "kure_session").unwrap(), None);
        assert!(cookie_value("kure_session=a; kure_session=b", "kure_session").is_err());
        assert_eq!(cookie_value("xkure_session=a", "kure_session").unwrap(), None);
        assert_eq!(without_cookie("a=1; kure_session=v.w; b=2", "kure_session").as_deref(), Some("a=1; b=2"));
        assert_eq!(without_cookie("kure_session=v", "kure_session").as_deref(), Some(""));
        assert_eq!(without_cookie("a=1;b=2", "kure_session"), None);
        assert!(setting_cookie("n", "v", 60).contains("HttpOnly; Secure; SameSite=Lax") && clearing_cookie("n").contains("Max-Age=0"));
    }
}
