//! The JWS algorithms edgeauth implements (RFC 7518 section 3, RFC 8037).
//!
//! Names are matched exactly and case-sensitively, as RFC 7515 requires, so no
//! spelling of `none` is ever an [`Algorithm`].

use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// A JWS signature algorithm.
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    HS256,
    HS384,
    HS512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    ES512,
    EdDSA,
}

/// The SHA-2 function an algorithm hashes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sha {
    Sha256,
    Sha384,
    Sha512,
}

impl Sha {
    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Sha::Sha256 => 32,
            Sha::Sha384 => 48,
            Sha::Sha512 => 64,
        }
    }
}

/// The elliptic curves of the ECDSA algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    /// The JWK `crv` name.
    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }

    /// Length of one coordinate (and of the private scalar) in bytes.
    pub fn coordinate_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The one algorithm that signs with this curve.
    pub fn algorithm(self) -> Algorithm {
        match self {
            Curve::P256 => Algorithm::ES256,
            Curve::P384 => Algorithm::ES384,
            Curve::P521 => Algorithm::ES512,
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Curve> {
        [Curve::P256, Curve::P384, Curve::P521].into_iter().find(|c| c.name() == name)
    }
}

/// The family of an algorithm: what kind of key it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Hmac(Sha),
    RsaPkcs1(Sha),
    RsaPss(Sha),
    Ecdsa(Curve),
    Ed25519,
}

impl Algorithm {
    /// Every algorithm, in RFC 7518 order.
    pub const ALL: [Algorithm; 13] = [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::EdDSA,
    ];

    /// The registered `alg` name.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::EdDSA => "EdDSA",
        }
    }

    /// The algorithm registered under `name`, matched exactly.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|alg| alg.name() == name)
    }

    /// What kind of key the algorithm needs.
    pub fn family(self) -> Family {
        use Algorithm::*;
        match self {
            HS256 => Family::Hmac(Sha::Sha256),
            HS384 => Family::Hmac(Sha::Sha384),
            HS512 => Family::Hmac(Sha::Sha512),
            RS256 => Family::RsaPkcs1(Sha::Sha256),
            RS384 => Family::RsaPkcs1(Sha::Sha384),
            RS512 => Family::RsaPkcs1(Sha::Sha512),
            PS256 => Family::RsaPss(Sha::Sha256),
            PS384 => Family::RsaPss(Sha::Sha384),
            PS512 => Family::RsaPss(Sha::Sha512),
            ES256 => Family::Ecdsa(Curve::P256),
            ES384 => Family::Ecdsa(Curve::P384),
            ES512 => Family::Ecdsa(Curve::P521),
            EdDSA => Family::Ed25519,
        }
    }
}

impl FromStr for Algorithm {
    type Err = Error;

    fn from_str(name: &str) -> Result<Algorithm> {
        Algorithm::from_name(name).ok_or(Error::NotSupported("unsupported \"alg\" value"))
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for alg in Algorithm::ALL {
            assert_eq!(alg.name().parse::<Algorithm>().unwrap(), alg);
        }
    }

    #[test]
    fn no_spelling_of_none_and_no_case_folding() {
        for name in ["none", "None", "NONE", "nOnE", "hs256", "Hs256", "eddsa", "ES256 ", ""] {
            assert!(Algorithm::from_name(name).is_none(), "{name}");
        }
    }
}
