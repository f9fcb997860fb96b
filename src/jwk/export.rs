//! Key export to JWK, and the RFC 7638 thumbprint.
//!
//! A public export never carries `d`, `p`, `q`, `dp`, `dq`, `qi` or `k`: an
//! HMAC secret has no public form at all.

use super::key::{Key, Material};
use crate::b64;
use crate::error::{Error, Result};
use ring::digest;
use serde_json::{Map, Value};

impl Key {
    /// The key as a JWK object; private members only when `include_private`.
    pub fn to_jwk(&self, include_private: bool) -> Result<Map<String, Value>> {
        let mut jwk = self.material().required_members(include_private)?;
        if include_private {
            insert_all(&mut jwk, self.private_members());
        }
        let meta = self.meta();
        if let Some(kid) = &meta.kid {
            jwk.insert("kid".into(), kid.clone().into());
        }
        if let Some(alg) = meta.alg {
            jwk.insert("alg".into(), alg.name().into());
        }
        if meta.use_sig {
            jwk.insert("use".into(), "sig".into());
        }
        if let Some(ops) = &meta.key_ops {
            jwk.insert("key_ops".into(), ops.clone().into());
        }
        Ok(jwk)
    }

    fn private_members(&self) -> Vec<(&'static str, Value)> {
        let encoded = |name, bytes: &[u8]| (name, Value::String(b64::encode(bytes)));
        match self.material() {
            Material::Oct(_) => vec![],
            Material::Rsa(key) => key.private_parts().map_or(vec![], |p| {
                vec![
                    encoded("d", &p.d),
                    encoded("p", &p.p),
                    encoded("q", &p.q),
                    encoded("dp", &p.dp),
                    encoded("dq", &p.dq),
                    encoded("qi", &p.qi),
                ]
            }),
            Material::Ec(key) => key.d().map(|d| encoded("d", d)).into_iter().collect(),
            Material::Ed25519(key) => key.d().map(|d| encoded("d", d)).into_iter().collect(),
        }
    }
}

impl Material {
    pub(crate) fn thumbprint(&self) -> String {
        let canonical = Value::Object(self.required_members(true).unwrap_or_default());
        b64::encode(digest::digest(&digest::SHA256, canonical.to_string().as_bytes()))
    }

    /// The members RFC 7638 names for the key type. They are listed in
    /// lexicographic order, so the thumbprint's JSON is canonical whether
    /// serde_json's map sorts its keys or (with `preserve_order`) keeps them
    /// in insertion order.
    fn required_members(&self, include_secret: bool) -> Result<Map<String, Value>> {
        let encoded = |bytes: &[u8]| Value::String(b64::encode(bytes));
        let kty = Value::from(self.kty());
        let members = match self {
            Material::Oct(_) if !include_secret => {
                return Err(Error::JwkInvalid("an HMAC secret has no public form"))
            }
            Material::Oct(key) => vec![("k", encoded(key.secret())), ("kty", kty)],
            Material::Rsa(key) => vec![("e", encoded(key.e())), ("kty", kty), ("n", encoded(key.n()))],
            Material::Ec(key) => {
                vec![("crv", key.curve().name().into()), ("kty", kty), ("x", encoded(key.x())), ("y", encoded(key.y()))]
            }
            Material::Ed25519(key) => vec![("crv", "Ed25519".into()), ("kty", kty), ("x", encoded(key.x()))],
        };
        let mut map = Map::new();
        insert_all(&mut map, members);
        Ok(map)
    }
}

/// Inserts one by one: collecting into a map would link a sort (BTreeMap's
/// bulk build) into the wasm for nothing.
fn insert_all(map: &mut Map<String, Value>, members: Vec<(&'static str, Value)>) {
    for (name, value) in members {
        map.insert(name.to_owned(), value);
    }
}
