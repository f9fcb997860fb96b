//! Keys: import, export, generation and thumbprints (RFC 7517, 7518, 7638, 8037).
//!
//! [`Key`] is the one key type. Import from JWK or PEM/DER validates the
//! material completely (lengths, points on their curves, private parts
//! consistent with public ones, RSA moduli of at least 2048 bits) so that a key
//! that exists can be used.

mod asn1;
mod der;
mod ec;
mod export;
mod generate;
mod import;
mod key;
mod oct;
mod okp;
pub(crate) mod p521;
mod pem;
mod rsa;

pub use key::Key;
pub(crate) use key::{KeyMeta, Material};

use crate::error::{Error, Result};
use crate::json;
use crate::jws::alg::{Algorithm, Family};
use serde_json::{Map, Value};

impl Key {
    /// Imports a JWK given as JSON text.
    pub fn from_jwk_str(jwk: &str) -> Result<Key> {
        let map = json::parse_object(jwk.as_bytes())
            .map_err(|_| Error::JwkInvalid("the JWK is not a JSON object without duplicate members"))?;
        Key::from_jwk(&map)
    }

    /// Imports a JWK object.
    pub fn from_jwk(jwk: &Map<String, Value>) -> Result<Key> {
        import::from_jwk(jwk)
    }

    /// Imports a PEM key (SPKI, PKCS#8, PKCS#1 RSA or SEC1 EC) for `alg`.
    pub fn from_pem(pem: &str, alg: Algorithm, kid: Option<&str>) -> Result<Key> {
        Key::from_material(import::from_parts(der::from_pem(pem)?)?, alg, kid)
    }

    /// Imports a DER `SubjectPublicKeyInfo` for `alg`.
    pub fn from_spki_der(spki: &[u8], alg: Algorithm, kid: Option<&str>) -> Result<Key> {
        Key::from_material(import::from_parts(der::from_spki(spki)?)?, alg, kid)
    }

    /// Imports a DER PKCS#8 private key for `alg`.
    pub fn from_pkcs8_der(pkcs8: &[u8], alg: Algorithm, kid: Option<&str>) -> Result<Key> {
        Key::from_material(import::from_parts(der::from_pkcs8(pkcs8)?)?, alg, kid)
    }

    /// An HMAC key from a shared secret; `alg` must be HS256, HS384 or HS512.
    pub fn from_secret(secret: &[u8], alg: Algorithm, kid: Option<&str>) -> Result<Key> {
        if !matches!(alg.family(), Family::Hmac(_)) {
            return Err(Error::AlgNotAllowed("a shared secret serves only HS256, HS384 and HS512"));
        }
        Key::from_material(Material::Oct(oct::OctKey::new(secret.to_vec())?), alg, kid)
    }

    /// [`Key::from_secret`] for a secret shorter than RFC 7518 section 3.2
    /// asks (the hash output), at least 8 bytes: only to verify tokens of a
    /// deployed system that already uses such a secret.
    pub fn from_short_secret(secret: &[u8], alg: Algorithm, kid: Option<&str>) -> Result<Key> {
        if !matches!(alg.family(), Family::Hmac(_)) {
            return Err(Error::AlgNotAllowed("a shared secret serves only HS256, HS384 and HS512"));
        }
        Key::from_material(Material::Oct(oct::OctKey::new_short(secret.to_vec())?), alg, kid)
    }

    /// A fresh private key for `alg`; its `kid` defaults to its RFC 7638 thumbprint.
    pub fn generate(alg: Algorithm, kid: Option<&str>) -> Result<Key> {
        let material = generate::material(alg)?;
        let thumbprint = material.thumbprint();
        Key::from_material(material, alg, Some(kid.unwrap_or(&thumbprint)))
    }

    fn from_material(material: Material, alg: Algorithm, kid: Option<&str>) -> Result<Key> {
        let meta = KeyMeta { kid: kid.map(str::to_owned), alg: Some(alg), ..KeyMeta::default() };
        Key::new(material, meta)
    }
}
