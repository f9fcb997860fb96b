//! Key export to JWK, and the RFC 7638 thumbprint.
//!
//! A public export never carries `d`, `p`, `q`, `dp`, `dq`, `qi` or `k`: an
//! HMAC secret has no public form at all.

use super::key::{Key, Material};
use crate::b64;
use crate::error::{Error, Result};
use ring::digest;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

impl Key {
    /// The key as a JWK object; private members only when `include_private`.
    pub fn to_jwk(&self, include_private: bool) -> Result<Map<String, Value>> {
        let mut jwk = self.material().required_members(include_private)?;
        if include_private {
            jwk.extend(self.private_members());
        }
        let meta = self.meta();
        if let Some(kid) = &meta.kid {
            jwk.insert("kid", kid.clone().into());
        }
        if let Some(alg) = meta.alg {
            jwk.insert("alg", alg.name().into());
        }
        if meta.use_sig {
            jwk.insert("use", "sig".into());
        }
        if let Some(ops) = &meta.key_ops {
            jwk.insert("key_ops", ops.clone().into());
        }
        Ok(jwk.into_iter().map(|(name, value)| (name.to_owned(), value)).collect())
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
        let members = self.required_members(true).unwrap_or_default();
        let canonical = Value::Object(members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
        b64::encode(digest::digest(&digest::SHA256, canonical.to_string().as_bytes()))
    }

    /// The members RFC 7638 names for the key type, in lexicographic order.
    fn required_members(&self, include_secret: bool) -> Result<BTreeMap<&'static str, Value>> {
        let encoded = |bytes: &[u8]| Value::String(b64::encode(bytes));
        let mut members = BTreeMap::from([("kty", Value::from(self.kty()))]);
        match self {
            Material::Oct(_) if !include_secret => {
                return Err(Error::JwkInvalid("an HMAC secret has no public form"))
            }
            Material::Oct(key) => {
                members.insert("k", encoded(key.secret()));
            }
            Material::Rsa(key) => {
                members.insert("n", encoded(key.n()));
                members.insert("e", encoded(key.e()));
            }
            Material::Ec(key) => {
                members.insert("crv", key.curve().name().into());
                members.insert("x", encoded(key.x()));
                members.insert("y", encoded(key.y()));
            }
            Material::Ed25519(key) => {
                members.insert("crv", "Ed25519".into());
                members.insert("x", encoded(key.x()));
            }
        }
        Ok(members)
    }


}
