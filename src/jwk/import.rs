//! Key import from JWK (RFC 7517, RFC 7518 section 6, RFC 8037).
//!
//! Members are read strictly: binary members must be canonical base64url, a
//! `use` other than `sig`, a `key_ops` that allows neither signing nor
//! verification and one that lists a value twice (RFC 7517 section 4.3) are
//! refused, unknown key types, curves and algorithms are
//! `ERR_JOSE_NOT_SUPPORTED`.

use super::der::Parts;
use super::ec::EcKey;
use super::key::{Key, KeyMeta, Material};
use super::oct::OctKey;
use super::okp::Ed25519Key;
use super::rsa::{RsaKey, RsaParts, RsaPrivateParts};
use crate::b64;
use crate::error::{Error, Result};
use crate::jws::alg::{Algorithm, Curve};
use serde_json::{Map, Value};

type Jwk = Map<String, Value>;

/// Imports one JWK object.
pub(crate) fn from_jwk(jwk: &Jwk) -> Result<Key> {
    let meta = meta(jwk)?;
    let material = match text(jwk, "kty")? {
        Some("oct") => Material::Oct(OctKey::new(required(jwk, "k")?)?),
        Some("RSA") => Material::Rsa(RsaKey::new(rsa_parts(jwk)?)?),
        Some("EC") => ec_key(jwk)?,
        Some("OKP") => okp_key(jwk)?,
        Some(_) => return Err(Error::NotSupported("unsupported \"kty\"")),
        None => return Err(Error::JwkInvalid("the JWK has no \"kty\"")),
    };
    Key::new(material, meta)
}

/// Makes key material from components read from PEM or DER.
pub(crate) fn from_parts(parts: Parts) -> Result<Material> {
    Ok(match parts {
        Parts::Rsa(parts) => Material::Rsa(RsaKey::new(parts)?),
        Parts::Ec { curve, point, d } => {
            let d = d.map(|d| left_pad(d, curve.coordinate_len()));
            Material::Ec(EcKey::from_point(curve, &point, d)?)
        }
        Parts::Ed25519 { x, seed: Some(seed) } => Material::Ed25519(Ed25519Key::private(seed, x.as_deref())?),
        Parts::Ed25519 { x: Some(x), seed: None } => Material::Ed25519(Ed25519Key::public(x)?),
        Parts::Ed25519 { x: None, seed: None } => return Err(Error::JwkInvalid("the Ed25519 key is empty")),
    })
}

fn meta(jwk: &Jwk) -> Result<KeyMeta> {
    let alg = text(jwk, "alg")?.map(str::parse::<Algorithm>).transpose()?;
    let use_sig = match text(jwk, "use")? {
        None => false,
        Some("sig") => true,
        Some(_) => return Err(Error::JwkInvalid("the key's \"use\" is not \"sig\"")),
    };
    let key_ops = key_ops(jwk)?;
    let kid = text(jwk, "kid")?.map(str::to_owned);
    Ok(KeyMeta { kid, alg, use_sig, key_ops })
}

fn key_ops(jwk: &Jwk) -> Result<Option<Vec<String>>> {
    let invalid = Error::JwkInvalid("\"key_ops\" must be an array of strings");
    let Some(value) = jwk.get("key_ops") else { return Ok(None) };
    let ops = value.as_array().ok_or(invalid.clone())?;
    let ops: Vec<String> =
        ops.iter().map(|op| op.as_str().map(str::to_owned).ok_or(invalid.clone())).collect::<Result<_>>()?;
    if !ops.iter().any(|op| op == "sign" || op == "verify") {
        return Err(Error::JwkInvalid("the key's \"key_ops\" allow neither \"sign\" nor \"verify\""));
    }
    if ops.iter().enumerate().any(|(i, op)| ops.iter().skip(i + 1).any(|other| other == op)) {
        return Err(Error::JwkInvalid("the key's \"key_ops\" list a value twice"));
    }
    Ok(Some(ops))
}

fn rsa_parts(jwk: &Jwk) -> Result<RsaParts> {
    if jwk.contains_key("oth") {
        return Err(Error::NotSupported("multi-prime RSA keys are not supported"));
    }
    let private = match bytes(jwk, "d")? {
        None => None,
        Some(d) if ["p", "q", "dp", "dq", "qi"].iter().all(|m| jwk.contains_key(*m)) => Some(RsaPrivateParts {
            d,
            p: required(jwk, "p")?,
            q: required(jwk, "q")?,
            dp: required(jwk, "dp")?,
            dq: required(jwk, "dq")?,
            qi: required(jwk, "qi")?,
        }),
        Some(_) => return Err(Error::NotSupported("RSA private keys without CRT parameters are not supported")),
    };
    Ok(RsaParts { n: required(jwk, "n")?, e: required(jwk, "e")?, private })
}

fn ec_key(jwk: &Jwk) -> Result<Material> {
    let curve = match text(jwk, "crv")? {
        Some(name) => Curve::from_name(name).ok_or(Error::NotSupported("unsupported EC \"crv\""))?,
        None => return Err(Error::JwkInvalid("the EC JWK has no \"crv\"")),
    };
    let key = EcKey::new(curve, &required(jwk, "x")?, &required(jwk, "y")?, bytes(jwk, "d")?)?;
    Ok(Material::Ec(key))
}

fn okp_key(jwk: &Jwk) -> Result<Material> {
    match text(jwk, "crv")? {
        Some("Ed25519") => {}
        Some(_) => return Err(Error::NotSupported("unsupported OKP \"crv\"")),
        None => return Err(Error::JwkInvalid("the OKP JWK has no \"crv\"")),
    }
    let x = required(jwk, "x")?;
    let key = match bytes(jwk, "d")? {
        Some(seed) => Ed25519Key::private(seed, Some(&x))?,
        None => Ed25519Key::public(x)?,
    };
    Ok(Material::Ed25519(key))
}

fn text<'a>(jwk: &'a Jwk, name: &str) -> Result<Option<&'a str>> {
    match jwk.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::JwkInvalid("a JWK member that must be a string is not")),
    }
}

fn bytes(jwk: &Jwk, name: &str) -> Result<Option<Vec<u8>>> {
    text(jwk, name)?
        .map(|s| b64::decode(s).ok_or(Error::JwkInvalid("a JWK member is not canonical base64url")))
        .transpose()
}

fn required(jwk: &Jwk, name: &str) -> Result<Vec<u8>> {
    bytes(jwk, name)?.ok_or(Error::JwkInvalid("the JWK lacks a member its key type requires"))
}

fn left_pad(bytes: Vec<u8>, len: usize) -> Vec<u8> {
    match len.checked_sub(bytes.len()) {
        Some(missing) if missing > 0 => [vec![0; missing], bytes].concat(),
        _ => bytes,
    }
}
