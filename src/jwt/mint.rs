//! Minting: signing a claims set into a compact JWT.
//!
//! The header gets `alg` from the key, its `kid` when it has one, and
//! `typ: "JWT"`. Options set the registered claims and override the same
//! claims in the payload given.

use crate::b64;
use crate::clock;
use crate::error::{Error, Result};
use crate::jwk::Key;
use crate::jws;
use crate::random;
use serde_json::{Map, Value};

/// How to set `jti`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Jti {
    /// Leave `jti` as the payload has it.
    #[default]
    Keep,
    /// 128 random bits, base64url.
    Random,
    Value(String),
}

/// What to add to a token when minting it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mint {
    /// Overrides the key's `kid`.
    pub kid: Option<String>,
    pub typ: Option<String>,
    /// Extra protected header members (`alg` comes from the key).
    pub header: Map<String, Value>,
    /// Set `iat` to the current time.
    pub issued_at: bool,
    /// Set `exp` to the current time plus this many seconds.
    pub expires_in: Option<u64>,
    /// Set `nbf` to the current time plus this many seconds.
    pub not_before: Option<i64>,
    pub issuer: Option<String>,
    /// One audience is written as a string, several as an array.
    pub audience: Vec<String>,
    pub subject: Option<String>,
    pub jti: Jti,
    /// The current time in seconds since the epoch; the system clock when `None`.
    pub current_time: Option<u64>,
}

impl Default for Mint {
    fn default() -> Mint {
        Mint {
            kid: None,
            typ: Some("JWT".to_owned()),
            header: Map::new(),
            issued_at: true,
            expires_in: None,
            not_before: None,
            issuer: None,
            audience: Vec::new(),
            subject: None,
            jti: Jti::Keep,
            current_time: None,
        }
    }
}

impl Mint {
    /// Signs `claims`, with these options applied, using `key`.
    pub fn sign(&self, claims: &Map<String, Value>, key: &Key) -> Result<String> {
        let payload = Value::Object(self.claims(claims.clone())?).to_string();
        jws::sign(self.header(), payload.as_bytes(), key)
    }

    /// [`Mint::sign`] in two steps, for a host that signs with its own crypto
    /// (see [`jws::signing_input`]; [`jws::assemble`] makes the token).
    pub fn signing_input(&self, claims: &Map<String, Value>, key: &Key) -> Result<(String, crate::Algorithm)> {
        let payload = Value::Object(self.claims(claims.clone())?).to_string();
        jws::signing_input(self.header(), payload.as_bytes(), key)
    }

    fn header(&self) -> Map<String, Value> {
        let mut header = self.header.clone();
        if let Some(typ) = &self.typ {
            header.insert("typ".into(), typ.clone().into());
        }
        if let Some(kid) = &self.kid {
            header.insert("kid".into(), kid.clone().into());
        }
        header
    }

    fn claims(&self, mut claims: Map<String, Value>) -> Result<Map<String, Value>> {
        let now = self.current_time.unwrap_or_else(|| clock::now() as u64);
        let at = |offset: i64| now.checked_add_signed(offset).ok_or(Error::JwtInvalid("a time claim is out of range"));
        if self.issued_at {
            claims.insert("iat".into(), now.into());
        }
        if let Some(seconds) = self.expires_in {
            claims.insert("exp".into(), at(i64::try_from(seconds).unwrap_or(i64::MAX))?.into());
        }
        if let Some(seconds) = self.not_before {
            claims.insert("nbf".into(), at(seconds)?.into());
        }
        let strings = [("iss", &self.issuer), ("sub", &self.subject)];
        for (name, value) in strings {
            if let Some(value) = value {
                claims.insert(name.into(), value.clone().into());
            }
        }
        match self.audience.as_slice() {
            [] => {}
            [one] => drop(claims.insert("aud".into(), one.clone().into())),
            many => drop(claims.insert("aud".into(), many.to_vec().into())),
        }
        match &self.jti {
            Jti::Keep => {}
            Jti::Random => drop(claims.insert("jti".into(), random_jti()?.into())),
            Jti::Value(jti) => drop(claims.insert("jti".into(), jti.clone().into())),
        }
        Ok(claims)
    }
}

fn random_jti() -> Result<String> {
    Ok(b64::encode(random::bytes::<16>()?))
}
