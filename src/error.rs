//! The one error type of edgeauth.
//!
//! Every failure carries a stable code in jose's vocabulary (`ERR_JWS_INVALID`,
//! `ERR_JWT_EXPIRED`, ...) so that JavaScript users recognise it, and a message
//! that says what was wrong. Messages are built only from static text, algorithm
//! names and claim names: never from key material or secrets.

use std::fmt;

/// Why a claim failed validation (jose's `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimReason {
    /// A required claim is absent.
    Missing,
    /// The claim is present but not of the right type or range.
    Invalid,
    /// The claim does not equal what the verifier expects.
    Mismatch,
    /// A time check failed (expired, not yet valid, too old).
    CheckFailed,
}

impl ClaimReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimReason::Missing => "missing",
            ClaimReason::Invalid => "invalid",
            ClaimReason::Mismatch => "mismatch",
            ClaimReason::CheckFailed => "check_failed",
        }
    }
}

/// Every way an edgeauth operation can fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The compact JWS is malformed: segments, base64url, header JSON, `crit`.
    JwsInvalid(&'static str),
    /// The JWT payload is not a JSON object of claims.
    JwtInvalid(&'static str),
    /// The signature does not verify with any candidate key.
    SignatureVerificationFailed,
    /// The token's `alg` is not in the verifier's allowed list, or the key may not serve it.
    AlgNotAllowed(&'static str),
    /// An algorithm, key type, curve or header parameter edgeauth does not implement.
    NotSupported(&'static str),
    /// The token is too old: `exp` has passed, or `iat` is older than the maximum age.
    JwtExpired { claim: &'static str },
    /// A claim is missing, malformed or does not match the options.
    ClaimValidationFailed { claim: String, reason: ClaimReason },
    /// Key material (JWK, PEM, DER, secret) is malformed, weak or inconsistent.
    JwkInvalid(&'static str),
    /// A key set has no key that fits the token.
    JwksNoMatchingKey,
    /// A key set has more candidate keys than a verifier will try.
    JwksMultipleMatchingKeys,
    /// A value encrypted at rest cannot be opened (wrong key-encryption key,
    /// tampering, or a value moved to another name), or the key-encryption key is unusable.
    AtRestInvalid(&'static str),
    /// A key set document is malformed, or a remote one is too large or has no usable key.
    JwksInvalid(&'static str),
    /// A remote key set did not answer in time, and no copy may serve.
    JwksTimeout,
    /// A remote key set cannot be had (unreachable, an error status, a
    /// redirect), and no copy may serve.
    JwksUnavailable(&'static str),
    /// The token is longer than the verifier's maximum size.
    JwtTooLarge { max: usize },
    /// A presented credential is malformed: a bad API key format or checksum, a bad
    /// `Basic` or `Bearer` header, an oversize input.
    CredentialMalformed(&'static str),
    /// The credential is well formed but unknown, or its secret is wrong.
    CredentialRejected,
    /// The credential is known and correct but has been revoked.
    CredentialRevoked,
    /// The credential is known and correct but past its expiry time.
    CredentialExpired,
    /// Too many failed checks of this credential from this client lately:
    /// no check is made until `retry_after` seconds have passed.
    RateLimited { retry_after: u64 },
    /// A stored hash is malformed or out of bounds (for example an iteration count
    /// above the hard limit): a configuration error, not the caller's fault.
    HashInvalid(&'static str),
    /// The credential store failed; callers fail closed.
    StoreUnavailable(&'static str),
}

impl Error {
    /// The stable code, in jose's vocabulary.
    pub fn code(&self) -> &'static str {
        match self {
            Error::JwsInvalid(_) => "ERR_JWS_INVALID",
            Error::JwtInvalid(_) => "ERR_JWT_INVALID",
            Error::SignatureVerificationFailed => "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
            Error::AlgNotAllowed(_) => "ERR_JOSE_ALG_NOT_ALLOWED",
            Error::NotSupported(_) => "ERR_JOSE_NOT_SUPPORTED",
            Error::JwtExpired { .. } => "ERR_JWT_EXPIRED",
            Error::ClaimValidationFailed { .. } => "ERR_JWT_CLAIM_VALIDATION_FAILED",
            Error::JwkInvalid(_) => "ERR_JWK_INVALID",
            Error::JwksNoMatchingKey => "ERR_JWKS_NO_MATCHING_KEY",
            Error::JwksMultipleMatchingKeys => "ERR_JWKS_MULTIPLE_MATCHING_KEYS",
            Error::JwksInvalid(_) => "ERR_JWKS_INVALID",
            Error::JwksTimeout => "ERR_JWKS_TIMEOUT",
            Error::JwksUnavailable(_) => "ERR_JWKS_UNAVAILABLE",
            Error::AtRestInvalid(_) => "ERR_AT_REST_INVALID",
            Error::JwtTooLarge { .. } => "ERR_JWT_TOO_LARGE",
            Error::CredentialMalformed(_) => "ERR_CREDENTIAL_MALFORMED",
            Error::CredentialRejected => "ERR_CREDENTIAL_REJECTED",
            Error::CredentialRevoked => "ERR_CREDENTIAL_REVOKED",
            Error::CredentialExpired => "ERR_CREDENTIAL_EXPIRED",
            Error::RateLimited { .. } => "ERR_RATE_LIMITED",
            Error::HashInvalid(_) => "ERR_HASH_INVALID",
            Error::StoreUnavailable(_) => "ERR_STORE_UNAVAILABLE",
        }
    }

    /// The claim a claim failure is about (`exp` or `iat` for an expired token).
    pub fn claim(&self) -> Option<&str> {
        match self {
            Error::ClaimValidationFailed { claim, .. } => Some(claim),
            Error::JwtExpired { claim } => Some(claim),
            _ => None,
        }
    }

    /// Why a claim failed.
    pub fn reason(&self) -> Option<ClaimReason> {
        match self {
            Error::ClaimValidationFailed { reason, .. } => Some(*reason),
            Error::JwtExpired { .. } => Some(ClaimReason::CheckFailed),
            _ => None,
        }
    }

    pub(crate) fn claim_failed(claim: &str, reason: ClaimReason) -> Error {
        Error::ClaimValidationFailed { claim: claim.to_owned(), reason }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::JwsInvalid(m) | Error::JwtInvalid(m) | Error::AlgNotAllowed(m) => f.write_str(m),
            Error::NotSupported(m) | Error::JwkInvalid(m) | Error::JwksInvalid(m) => f.write_str(m),
            Error::AtRestInvalid(m) | Error::JwksUnavailable(m) => f.write_str(m),
            Error::JwksTimeout => f.write_str("the remote JWK Set did not answer in time"),
            Error::SignatureVerificationFailed => f.write_str("signature verification failed"),
            Error::JwtExpired { claim } => write!(f, "\"{claim}\" claim timestamp check failed"),
            Error::ClaimValidationFailed { claim, reason } => {
                write!(f, "\"{}\" claim {}", claim, reason_text(*reason))
            }
            Error::JwksNoMatchingKey => f.write_str("no applicable key found in the JSON Web Key Set"),
            Error::JwksMultipleMatchingKeys => {
                f.write_str("multiple matching keys found in the JSON Web Key Set")
            }
            Error::JwtTooLarge { max } => write!(f, "token exceeds the maximum size of {max} bytes"),
            Error::CredentialMalformed(m) | Error::HashInvalid(m) | Error::StoreUnavailable(m) => {
                f.write_str(m)
            }
            Error::CredentialRejected => f.write_str("credential rejected"),
            Error::CredentialRevoked => f.write_str("credential has been revoked"),
            Error::CredentialExpired => f.write_str("credential has expired"),
            Error::RateLimited { retry_after } => write!(f, "too many failed attempts; retry in {retry_after} s"),
        }
    }
}

fn reason_text(reason: ClaimReason) -> &'static str {
    match reason {
        ClaimReason::Missing => "is missing",
        ClaimReason::Invalid => "is invalid",
        ClaimReason::Mismatch => "value mismatch",
        ClaimReason::CheckFailed => "check failed",
    }
}

impl std::error::Error for Error {}

/// The result type of every fallible edgeauth operation.
pub type Result<T> = std::result::Result<T, Error>;
