//! [`Key`]: one signing or verification key, bound to the algorithms it may serve.
//!
//! A key's type fixes its algorithm family: an `oct` secret serves only HS*,
//! an RSA key only RS* and PS*, an EC key only the ES* of its curve, an OKP key
//! only EdDSA. A declared `alg` narrows that to one algorithm. No header can
//! widen it, which is what defeats algorithm confusion.

use super::ec::EcKey;
use super::oct::OctKey;
use super::okp::Ed25519Key;
use super::rsa::RsaKey;
use crate::error::{Error, Result};
use crate::jws::alg::{Algorithm, Family};
use std::fmt;
use std::sync::{Arc, OnceLock};

/// A key, cheap to clone (clones share the material).
#[derive(Clone)]
pub struct Key(Arc<KeyInner>);

pub(crate) struct KeyInner {
    pub(crate) material: Material,
    pub(crate) meta: KeyMeta,
    /// The RFC 7638 thumbprint, computed on first use (the material never changes).
    pub(crate) thumbprint: OnceLock<String>,
}

/// The JWK members that describe how a key may be used.
#[derive(Clone, Default)]
pub(crate) struct KeyMeta {
    pub(crate) kid: Option<String>,
    pub(crate) alg: Option<Algorithm>,
    /// `use: "sig"` was declared (any other `use` is refused at import).
    pub(crate) use_sig: bool,
    pub(crate) key_ops: Option<Vec<String>>,
}

pub(crate) enum Material {
    Oct(OctKey),
    Rsa(RsaKey),
    Ec(EcKey),
    Ed25519(Ed25519Key),
}

impl Key {
    /// Binds `material` to `meta`, refusing a declared `alg` the material cannot serve.
    pub(crate) fn new(material: Material, meta: KeyMeta) -> Result<Key> {
        if let Some(alg) = meta.alg {
            if !material.serves(alg) {
                return Err(Error::JwkInvalid("the key's \"alg\" does not match its key type"));
            }
            if let (Material::Oct(secret), Family::Hmac(sha)) = (&material, alg.family()) {
                secret.check_strength(sha)?;
            }
        }
        Ok(Key(Arc::new(KeyInner { material, meta, thumbprint: OnceLock::new() })))
    }

    /// The RFC 7638 thumbprint (SHA-256, base64url), computed once per key.
    pub fn thumbprint(&self) -> String {
        self.0.thumbprint.get_or_init(|| self.0.material.thumbprint()).clone()
    }

    pub(crate) fn material(&self) -> &Material {
        &self.0.material
    }

    pub(crate) fn meta(&self) -> &KeyMeta {
        &self.0.meta
    }

    /// The key id (`kid`), if any.
    pub fn kid(&self) -> Option<&str> {
        self.0.meta.kid.as_deref()
    }

    /// The declared algorithm (`alg`), if any.
    pub fn alg(&self) -> Option<Algorithm> {
        self.0.meta.alg
    }

    /// The JWK key type: `oct`, `RSA`, `EC` or `OKP`.
    pub fn kty(&self) -> &'static str {
        self.material().kty()
    }

    /// Whether the key holds private (or secret) material and so can sign.
    pub fn is_private(&self) -> bool {
        match self.material() {
            Material::Oct(_) => true,
            Material::Rsa(key) => key.private_parts().is_some(),
            Material::Ec(key) => key.d().is_some(),
            Material::Ed25519(key) => key.d().is_some(),
        }
    }

    /// Whether this key may serve `alg`: its type fits and no other `alg` was declared.
    pub fn permits(&self, alg: Algorithm) -> bool {
        self.material().serves(alg) && self.alg().is_none_or(|declared| declared == alg)
    }

    /// Whether the key's `key_ops` (when present) allow `op` (`"sign"` or `"verify"`).
    pub(crate) fn allows_op(&self, op: &str) -> bool {
        self.0.meta.key_ops.as_ref().is_none_or(|ops| ops.iter().any(|o| o == op))
    }

    /// The algorithm a token signed with this key gets: the declared `alg`, or
    /// the only one the key type allows (EC and OKP keys).
    pub fn signing_algorithm(&self) -> Result<Algorithm> {
        if let Some(alg) = self.alg() {
            return Ok(alg);
        }
        match self.material() {
            Material::Ec(key) => Ok(key.curve().algorithm()),
            Material::Ed25519(_) => Ok(Algorithm::EdDSA),
            Material::Oct(_) | Material::Rsa(_) => {
                Err(Error::JwkInvalid("the key has no \"alg\" and its type serves several"))
            }
        }
    }
}

impl Material {
    pub(crate) fn kty(&self) -> &'static str {
        match self {
            Material::Oct(_) => "oct",
            Material::Rsa(_) => "RSA",
            Material::Ec(_) => "EC",
            Material::Ed25519(_) => "OKP",
        }
    }

    fn serves(&self, alg: Algorithm) -> bool {
        match (self, alg.family()) {
            (Material::Oct(_), Family::Hmac(_)) => true,
            (Material::Rsa(_), Family::RsaPkcs1(_) | Family::RsaPss(_)) => true,
            (Material::Ec(key), Family::Ecdsa(curve)) => key.curve() == curve,
            (Material::Ed25519(_), Family::Ed25519) => true,
            _ => false,
        }
    }
}

/// Shows what the key is, never its material.
impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("kty", &self.kty())
            .field("alg", &self.alg())
            .field("kid", &self.kid())
            .field("private", &self.is_private())
            .finish()
    }
}
