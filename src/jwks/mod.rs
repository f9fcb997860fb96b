//! Key sets (RFC 7517 section 5) and the choice of keys for a token.
//!
//! A [`KeySet`] offers a token only the keys that fit it: the same `kid` when
//! the token names one, a type and curve that serve the token's `alg`, no other
//! declared `alg`, `use` and `key_ops` that allow verification. A `kid` must
//! name exactly one such key; a token without one tries at most
//! [`MAX_CANDIDATES`]. A JWK Set document mixing HMAC secrets with public
//! keys is refused: a set is either secret or publishable, never both. The
//! public export never contains a private member or an HMAC secret.

use crate::error::{Error, Result};
use crate::json;
use crate::jwk::Key;
use crate::jws::Algorithm;
pub use crate::jws::KeySource;
use serde_json::{Map, Value};

/// The most keys tried for a token that names no `kid`.
pub const MAX_CANDIDATES: usize = 3;

/// A set of keys, as served at `/.well-known/jwks.json`.
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    keys: Vec<Key>,
}

impl KeySet {
    pub fn new() -> KeySet {
        KeySet::default()
    }

    /// Imports a JWK Set document given as JSON text.
    pub fn from_jwks_str(jwks: &str) -> Result<KeySet> {
        let document = json::parse_object(jwks.as_bytes())
            .map_err(|_| Error::JwksInvalid("the JWK Set is not a JSON object without duplicate members"))?;
        KeySet::from_jwks(&document)
    }

    /// Imports a JWK Set. Keys for other purposes (`use` other than `sig`) or of
    /// types edgeauth does not implement are skipped; a malformed key, or HMAC
    /// secrets beside asymmetric keys, are an error.
    pub fn from_jwks(jwks: &Map<String, Value>) -> Result<KeySet> {
        let entries = jwks
            .get("keys")
            .and_then(Value::as_array)
            .ok_or(Error::JwksInvalid("the JWK Set has no \"keys\" array"))?;
        let mut set = KeySet::new();
        for entry in entries {
            let jwk = entry.as_object().ok_or(Error::JwksInvalid("a JWK Set entry is not an object"))?;
            match Key::from_jwk(jwk) {
                Ok(key) => set.add(key),
                Err(Error::NotSupported(_)) => {}
                Err(_) if jwk.get("use").is_some_and(|u| u != "sig") => {}
                Err(error) => return Err(error),
            }
        }
        let secrets = set.keys.iter().filter(|key| key.kty() == "oct").count();
        if secrets != 0 && secrets != set.len() {
            return Err(Error::JwksInvalid("the JWK Set mixes HMAC secrets with asymmetric keys"));
        }
        Ok(set)
    }

    pub fn add(&mut self, key: Key) {
        self.keys.push(key);
    }

    /// Removes every key with this `kid`; whether any was removed.
    pub fn remove(&mut self, kid: &str) -> bool {
        let before = self.keys.len();
        self.keys.retain(|key| key.kid() != Some(kid));
        self.keys.len() != before
    }

    pub fn get(&self, kid: &str) -> Option<&Key> {
        self.keys.iter().find(|key| key.kid() == Some(kid))
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Key> {
        self.keys.iter()
    }

    /// The public JWK Set: public members only, HMAC secrets left out.
    pub fn to_public_jwks(&self) -> Map<String, Value> {
        let keys: Vec<Value> =
            self.keys.iter().filter_map(|key| key.to_jwk(false).ok()).map(Value::Object).collect();
        let mut jwks = Map::new();
        jwks.insert("keys".to_owned(), Value::Array(keys));
        jwks
    }
}

impl KeySource for KeySet {
    fn candidates(&self, alg: Algorithm, kid: Option<&str>) -> Result<Vec<&Key>> {
        let fits: Vec<&Key> = self
            .keys
            .iter()
            .filter(|key| kid.is_none_or(|kid| key.kid() == Some(kid)))
            .filter(|key| key.permits(alg) && key.allows_op("verify"))
            .collect();
        let most = if kid.is_some() { 1 } else { MAX_CANDIDATES };
        match fits.len() {
            0 => Err(Error::JwksNoMatchingKey),
            n if n > most => Err(Error::JwksMultipleMatchingKeys),
            _ => Ok(fits),
        }
    }
}
