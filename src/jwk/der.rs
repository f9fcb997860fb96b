//! Key import from PEM and DER: SPKI, PKCS#8, PKCS#1 RSA and SEC1 EC keys.
//!
//! The structures are read with the strict reader in [`super::asn1`]; what
//! comes out are the same components a JWK carries, so both import paths end
//! in one constructor. Encrypted keys and certificates are refused with
//! `ERR_JOSE_NOT_SUPPORTED`.

use super::asn1::{self, context_constructed, context_primitive, Reader, BIT_STRING, MALFORMED, NULL, OCTET_STRING, OID};
use super::pem;
use super::rsa::{RsaParts, RsaPrivateParts};
use crate::error::{Error, Result};
use crate::jws::alg::Curve;

// Object identifiers as their DER contents.
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]; // 1.2.840.113549.1.1.1
const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]; // 1.2.840.10045.2.1
const ED25519: &[u8] = &[0x2b, 0x65, 0x70]; // 1.3.101.112
const SECP256R1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]; // 1.2.840.10045.3.1.7
const SECP384R1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22]; // 1.3.132.0.34
const SECP521R1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23]; // 1.3.132.0.35

/// Key components read from DER, ready for the key constructors.
pub(crate) enum Parts {
    Rsa(RsaParts),
    Ec { curve: Curve, point: Vec<u8>, d: Option<Vec<u8>> },
    Ed25519 { x: Option<Vec<u8>>, seed: Option<Vec<u8>> },
}

/// The key types an `AlgorithmIdentifier` names, with the curve for EC keys.
enum KeyType {
    Rsa,
    Ec(Curve),
    Ed25519,
}

/// Reads a PEM document and dispatches on its label.
pub(crate) fn from_pem(pem: &str) -> Result<Parts> {
    let (label, der) = pem::decode(pem)?;
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
    let mut spki = Reader::sequence_of(der)?;
    let key_type = algorithm(&mut spki)?;
    let key = spki.bit_string()?;
    spki.finish()?;
    match key_type {
        KeyType::Rsa => rsa_public(key),
        KeyType::Ec(curve) => Ok(Parts::Ec { curve, point: key.to_vec(), d: None }),
        KeyType::Ed25519 => Ok(Parts::Ed25519 { x: Some(key.to_vec()), seed: None }),
    }
}

/// Reads a DER PKCS#8 `OneAsymmetricKey` (RFC 5958, version 1 or 2).
pub(crate) fn from_pkcs8(der: &[u8]) -> Result<Parts> {
    let mut info = Reader::sequence_of(der)?;
    let version = info.version(&[0, 1])?;
    let key_type = algorithm(&mut info)?;
    let key = info.read(OCTET_STRING)?;
    info.optional(context_constructed(0))?; // attributes: nothing a JWK carries
    let public = info.optional(context_primitive(1))?.map(asn1::bits).transpose()?;
    info.finish()?;
    // RFC 5958: version 2 (encoded 1) exactly when the public key is present.
    if public.is_some() != (version == 1) {
        return Err(MALFORMED);
    }
    match key_type {
        KeyType::Rsa => rsa_private(key),
        KeyType::Ec(curve) => sec1_private(key, Some(curve)),
        KeyType::Ed25519 => {
            let seed = asn1::element(key, OCTET_STRING)?;
            Ok(Parts::Ed25519 { x: public.map(<[u8]>::to_vec), seed: Some(seed.to_vec()) })
        }
    }
}

/// Reads an `AlgorithmIdentifier` and its parameters, as RFC 3279, 5480 and 8410 spell them.
fn algorithm(reader: &mut Reader<'_>) -> Result<KeyType> {
    let mut identifier = reader.sequence()?;
    let oid = identifier.read(OID)?;
    let key_type = match oid {
        RSA_ENCRYPTION => match identifier.optional(NULL)? {
            None | Some([]) => KeyType::Rsa,
            Some(_) => return Err(MALFORMED),
        },
        EC_PUBLIC_KEY => KeyType::Ec(curve(identifier.read(OID)?)?),
        ED25519 => KeyType::Ed25519,
        _ => return Err(Error::NotSupported("unsupported key algorithm")),
    };
    identifier.finish()?;
    Ok(key_type)
}

fn rsa_public(der: &[u8]) -> Result<Parts> {
    let mut key = Reader::sequence_of(der)?;
    let (n, e) = (key.unsigned()?.to_vec(), key.unsigned()?.to_vec());
    key.finish()?;
    Ok(Parts::Rsa(RsaParts { n, e, private: None }))
}

fn rsa_private(der: &[u8]) -> Result<Parts> {
    let mut key = Reader::sequence_of(der)?;
    if key.version(&[0, 1])? == 1 {
        return Err(Error::NotSupported("multi-prime RSA keys are not supported"));
    }
    let mut next = || key.unsigned().map(<[u8]>::to_vec);
    let (n, e) = (next()?, next()?);
    let private = RsaPrivateParts { d: next()?, p: next()?, q: next()?, dp: next()?, dq: next()?, qi: next()? };
    key.finish()?;
    Ok(Parts::Rsa(RsaParts { n, e, private: Some(private) }))
}

/// Reads a SEC1 `ECPrivateKey`; the curve comes from PKCS#8 when wrapped.
fn sec1_private(der: &[u8], outer: Option<Curve>) -> Result<Parts> {
    let mut key = Reader::sequence_of(der)?;
    key.version(&[1])?;
    let d = key.read(OCTET_STRING)?.to_vec();
    let named = key.optional(context_constructed(0))?.map(|p| asn1::element(p, OID).and_then(curve)).transpose()?;
    let point = key.optional(context_constructed(1))?.map(|p| asn1::element(p, BIT_STRING).and_then(asn1::bits)).transpose()?;
    key.finish()?;
    let curve = match (outer, named) {
        (Some(outer), Some(inner)) if inner != outer => return Err(Error::JwkInvalid("the EC key names two different curves")),
        (Some(curve), _) | (None, Some(curve)) => curve,
        (None, None) => return Err(Error::JwkInvalid("the EC key does not name its curve")),
    };
    let point = point.ok_or(Error::NotSupported("EC private keys without their public key are not supported"))?;
    Ok(Parts::Ec { curve, point: point.to_vec(), d: Some(d) })
}

fn curve(oid: &[u8]) -> Result<Curve> {
    match oid {
        SECP256R1 => Ok(Curve::P256),
        SECP384R1 => Ok(Curve::P384),
        SECP521R1 => Ok(Curve::P521),
        _ => Err(Error::NotSupported("unsupported elliptic curve")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rsa_identifier(parameters: &[u8]) -> Vec<u8> {
        let contents = [&[OID, 9][..], RSA_ENCRYPTION, parameters].concat();
        [&[asn1::SEQUENCE, contents.len() as u8][..], &contents].concat()
    }

    #[test]
    fn rsa_parameters_are_null_or_absent() {
        let key_type = |parameters: &[u8]| algorithm(&mut Reader::new(&rsa_identifier(parameters))).map(|_| ());
        assert_eq!(key_type(&[NULL, 0]), Ok(()));
        assert_eq!(key_type(&[]), Ok(()));
        assert_eq!(key_type(&[NULL, 1, 0]), Err(MALFORMED));
        assert_eq!(key_type(&[OCTET_STRING, 0]), Err(MALFORMED));
    }

    /// An Ed25519 PKCS#8 key with the given version and optional `[1]` public key.
    fn ed25519_pkcs8(version: u8, public: &[u8]) -> Vec<u8> {
        let identifier = [asn1::SEQUENCE, 5, OID, 3, 0x2b, 0x65, 0x70];
        let seed = [&[OCTET_STRING, 34, OCTET_STRING, 32][..], &[7; 32]].concat();
        let contents = [&[asn1::INTEGER, 1, version][..], &identifier, &seed, public].concat();
        [&[asn1::SEQUENCE, contents.len() as u8][..], &contents].concat()
    }

    #[test]
    fn pkcs8_version_2_exactly_when_the_public_key_is_present() {
        let public = [&[context_primitive(1), 33, 0][..], &[9; 32]].concat();
        assert!(from_pkcs8(&ed25519_pkcs8(0, &[])).is_ok());
        assert!(from_pkcs8(&ed25519_pkcs8(1, &public)).is_ok());
        assert!(matches!(from_pkcs8(&ed25519_pkcs8(1, &[])), Err(MALFORMED)));
        assert!(matches!(from_pkcs8(&ed25519_pkcs8(0, &public)), Err(MALFORMED)));
    }
}
