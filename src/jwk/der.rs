//! Key import from PEM and DER: SPKI, PKCS#8, PKCS#1 RSA and SEC1 EC keys.
//!
//! The ASN.1 is read with RustCrypto's `der`, `spki`, `pkcs8`, `pkcs1` and
//! `sec1`; what comes out are the same components a JWK carries, so both
//! import paths end in one constructor. Encrypted keys and certificates are
//! refused with `ERR_JOSE_NOT_SUPPORTED`.

use super::rsa::{RsaParts, RsaPrivateParts};
use crate::error::{Error, Result};
use crate::jws::alg::Curve;
use der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef, UintRef};
use der::Decode;
use pkcs8::{PrivateKeyInfoRef, SubjectPublicKeyInfoRef};

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");

const MALFORMED: Error = Error::JwkInvalid("the DER key is malformed");

/// Key components read from DER, ready for the key constructors.
pub(crate) enum Parts {
    Rsa(RsaParts),
    Ec { curve: Curve, point: Vec<u8>, d: Option<Vec<u8>> },
    Ed25519 { x: Option<Vec<u8>>, seed: Option<Vec<u8>> },
}

/// Reads a PEM document and dispatches on its label.
pub(crate) fn from_pem(pem: &str) -> Result<Parts> {
    let (label, der) = der::pem::decode_vec(pem.trim().as_bytes())
        .map_err(|_| Error::JwkInvalid("the PEM document is malformed"))?;
    match label {
        "PUBLIC KEY" => from_spki(&der),
        "PRIVATE KEY" => from_pkcs8(&der),
        "RSA PUBLIC KEY" => rsa_public(&der),
        "RSA PRIVATE KEY" => rsa_private(&der),
        "EC PRIVATE KEY" => sec1_private(&der, None),
        "ENCRYPTED PRIVATE KEY" => Err(Error::NotSupported("encrypted private keys are not supported")),
        "CERTIFICATE" => Err(Error::NotSupported("certificates are not supported: pass the public key")),
        _ => Err(Error::NotSupported("unsupported PEM label")),
    }
}

/// Reads a DER `SubjectPublicKeyInfo`.
pub(crate) fn from_spki(der: &[u8]) -> Result<Parts> {
    let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|_| MALFORMED)?;
    let key = spki.subject_public_key.as_bytes().ok_or(MALFORMED)?;
    match spki.algorithm.oid {
        RSA_ENCRYPTION => rsa_public(key),
        EC_PUBLIC_KEY => {
            let curve = curve_of(spki.algorithm.parameters)?;
            Ok(Parts::Ec { curve, point: key.to_vec(), d: None })
        }
        ED25519 => Ok(Parts::Ed25519 { x: Some(key.to_vec()), seed: None }),
        _ => Err(Error::NotSupported("unsupported public key algorithm")),
    }
}

/// Reads a DER PKCS#8 `PrivateKeyInfo` (version 1 or 2).
pub(crate) fn from_pkcs8(der: &[u8]) -> Result<Parts> {
    let info = PrivateKeyInfoRef::from_der(der).map_err(|_| MALFORMED)?;
    let key = info.private_key.as_bytes();
    match info.algorithm.oid {
        RSA_ENCRYPTION => rsa_private(key),
        EC_PUBLIC_KEY => sec1_private(key, Some(curve_of(info.algorithm.parameters)?)),
        ED25519 => {
            let seed = <&OctetStringRef>::from_der(key).map_err(|_| MALFORMED)?;
            let x = info.public_key.and_then(|pk| pk.as_bytes()).map(<[u8]>::to_vec);
            Ok(Parts::Ed25519 { x, seed: Some(seed.as_bytes().to_vec()) })
        }
        _ => Err(Error::NotSupported("unsupported private key algorithm")),
    }
}

fn rsa_public(der: &[u8]) -> Result<Parts> {
    let key = pkcs1::RsaPublicKey::<UintRef>::from_der(der).map_err(|_| MALFORMED)?;
    Ok(Parts::Rsa(RsaParts {
        n: key.modulus.as_bytes().to_vec(),
        e: key.public_exponent.as_bytes().to_vec(),
        private: None,
    }))
}

fn rsa_private(der: &[u8]) -> Result<Parts> {
    let key = pkcs1::RsaPrivateKeyRef::from_der(der).map_err(|_| MALFORMED)?;
    if key.other_prime_infos.is_some() {
        return Err(Error::NotSupported("multi-prime RSA keys are not supported"));
    }
    let bytes = |uint: UintRef| uint.as_bytes().to_vec();
    Ok(Parts::Rsa(RsaParts {
        n: bytes(key.modulus),
        e: bytes(key.public_exponent),
        private: Some(RsaPrivateParts {
            d: bytes(key.private_exponent),
            p: bytes(key.prime1),
            q: bytes(key.prime2),
            dp: bytes(key.exponent1),
            dq: bytes(key.exponent2),
            qi: bytes(key.coefficient),
        }),
    }))
}

/// Reads a SEC1 `ECPrivateKey`; the curve comes from PKCS#8 when wrapped.
fn sec1_private(der: &[u8], curve: Option<Curve>) -> Result<Parts> {
    let key = sec1::EcPrivateKey::from_der(der).map_err(|_| MALFORMED)?;
    let named = key.parameters.and_then(|p| p.named_curve());
    let curve = match (curve, named) {
        (Some(outer), Some(inner)) if curve_from_oid(inner)? != outer => {
            return Err(Error::JwkInvalid("the EC key names two different curves"))
        }
        (Some(curve), _) => curve,
        (None, Some(oid)) => curve_from_oid(oid)?,
        (None, None) => return Err(Error::JwkInvalid("the EC key does not name its curve")),
    };
    let point = key
        .public_key
        .ok_or(Error::NotSupported("EC private keys without their public key are not supported"))?;
    Ok(Parts::Ec { curve, point: point.to_vec(), d: Some(key.private_key.to_vec()) })
}

fn curve_of(parameters: Option<AnyRef<'_>>) -> Result<Curve> {
    let oid = parameters.ok_or(MALFORMED)?.decode_as::<ObjectIdentifier>().map_err(|_| MALFORMED)?;
    curve_from_oid(oid)
}

fn curve_from_oid(oid: ObjectIdentifier) -> Result<Curve> {
    match oid {
        SECP256R1 => Ok(Curve::P256),
        SECP384R1 => Ok(Curve::P384),
        SECP521R1 => Ok(Curve::P521),
        _ => Err(Error::NotSupported("unsupported elliptic curve")),
    }
}
