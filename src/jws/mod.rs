//! JSON Web Signature in compact serialization (RFC 7515): parse, sign, verify.
//!
//! [`verify`] accepts a token only if its `alg` is in the caller's explicit
//! list, a key from the [`KeySource`] may serve that algorithm, and the
//! signature verifies. `alg: none` is never an [`Algorithm`], so it never
//! verifies.
//!
//! [`Unverified`] is the same check in two steps, for hosts with native
//! signature code of their own (WebCrypto, Node's crypto): everything up to
//! the signature check happens here, the host checks the signature with a
//! candidate key this module chose, and [`Unverified::verified_by`] carries
//! on. Only the signature math is delegated, never the choice of algorithm,
//! key or signature format.

pub mod alg;
mod compact;
mod crypto;
mod header;
mod key_source;

pub use alg::Algorithm;
use alg::Family;
pub use compact::DEFAULT_MAX_TOKEN_SIZE;
pub use header::Header;
pub use key_source::KeySource;

use crate::b64;
use crate::error::{Error, Result};
use crate::jwk::Key;
use serde_json::{Map, Value};

/// A JWS whose signature verified.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    pub header: Header,
    pub payload: Vec<u8>,
}

/// Signs `payload` with `key`. `header` holds extra protected members; `alg`
/// always comes from the key, and `kid` does unless `header` names one.
pub fn sign(header: Map<String, Value>, payload: &[u8], key: &Key) -> Result<String> {
    let (input, alg) = signing_input(header, payload, key)?;
    let signature = crypto::sign(key, alg, input.as_bytes())?;
    Ok(assemble(&input, &signature))
}

/// [`sign`] in two steps, for hosts that compute signatures with their own
/// crypto: the signing input (`header.payload`) and the algorithm its
/// signature must use; [`assemble`] then makes the JWS.
/// Refuses what signing in one step would refuse: a public key, an algorithm
/// the key may not serve, `key_ops` without `sign`.
pub fn signing_input(mut header: Map<String, Value>, payload: &[u8], key: &Key) -> Result<(String, Algorithm)> {
    let alg = key.signing_algorithm()?;
    crypto::check_fit(key, alg, "sign")?;
    if !key.is_private() {
        return Err(Error::JwkInvalid("signing needs a private key"));
    }
    if header.get("alg").is_some_and(|named| named != alg.name()) {
        return Err(Error::AlgNotAllowed("the header's \"alg\" differs from the key's algorithm"));
    }
    header.insert("alg".into(), alg.name().into());
    if let (false, Some(kid)) = (header.contains_key("kid"), key.kid()) {
        header.insert("kid".into(), kid.into());
    }
    Ok((format!("{}.{}", b64::encode(Value::Object(header).to_string()), b64::encode(payload)), alg))
}

/// A compact JWS from its signing input and the signature over it.
pub fn assemble(signing_input: &str, signature: &[u8]) -> String {
    format!("{signing_input}.{}", b64::encode(signature))
}

/// Whether `signature`, made elsewhere, has the exact length of `alg`'s
/// signatures by `key`: a host's answer of another length is no signature.
pub fn fits_signature(key: &Key, alg: Algorithm, signature: &[u8]) -> bool {
    crypto::signature_len(key, alg) == Some(signature.len())
}

/// Verifies a compact JWS against `keys`, accepting only `algorithms`.
pub fn verify(
    token: &str,
    keys: &impl KeySource,
    algorithms: &[Algorithm],
    max_size: usize,
) -> Result<Verified> {
    Unverified::parse(token, keys, algorithms, max_size)?.verify()
}

/// A compact JWS that parsed, whose `alg` is allowed, whose signature has the
/// exact form its algorithm requires, and which has keys to try, each of
/// which may verify under that `alg`: all but the signature check.
#[derive(Debug)]
pub struct Unverified {
    header: Header,
    payload: Vec<u8>,
    signing_input: String,
    signature: Vec<u8>,
    alg: Algorithm,
    candidates: Vec<Key>,
}

impl Unverified {
    /// Parses `token` and chooses its candidate keys from `keys`, accepting only `algorithms`.
    pub fn parse(token: &str, keys: &impl KeySource, algorithms: &[Algorithm], max_size: usize) -> Result<Unverified> {
        let jws = compact::parse(token, max_size)?;
        let alg = algorithms
            .iter()
            .copied()
            .find(|allowed| allowed.name() == jws.header.alg())
            .ok_or(Error::AlgNotAllowed("the token's \"alg\" is not allowed"))?;
        let candidates: Vec<Key> = keys.candidates(alg, jws.header.kid())?.into_iter().cloned().collect();
        for key in &candidates {
            crypto::check_fit(key, alg, "verify")?;
        }
        // Raw R || S of the curve's exact size (RFC 7518 3.4, RFC 8032 5.1.6),
        // checked here so that no host ever sees a DER or truncated signature.
        let exact_len = match alg.family() {
            Family::Ecdsa(curve) => Some(2 * curve.coordinate_len()),
            Family::Ed25519 => Some(64),
            _ => None,
        };
        if exact_len.is_some_and(|len| jws.signature.len() != len) {
            return Err(Error::SignatureVerificationFailed);
        }
        let signing_input = jws.signing_input.to_owned();
        Ok(Unverified { header: jws.header, payload: jws.payload, signing_input, signature: jws.signature, alg, candidates })
    }

    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The keys that may have signed the token, best first.
    pub fn candidates(&self) -> &[Key] {
        &self.candidates
    }

    /// The header, NOT yet verified.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The payload, NOT yet verified: only for work whose outcome waits for
    /// the signature (`jwt::prevalidate`).
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The bytes the signature covers.
    pub fn signing_input(&self) -> &[u8] {
        self.signing_input.as_bytes()
    }

    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// Checks the signature here: the first candidate key it verifies with.
    pub fn verify(self) -> Result<Verified> {
        for key in &self.candidates {
            if crypto::verify(key, self.alg, self.signing_input.as_bytes(), &self.signature)? {
                return Ok(self.into_verified());
            }
        }
        Err(Error::SignatureVerificationFailed)
    }

    /// The signature was checked elsewhere and verified with
    /// `candidates()[index]` under `alg()`. The caller vouches for that check;
    /// this confirms only that the key was a candidate.
    pub fn verified_by(self, index: usize) -> Result<Verified> {
        match self.candidates.get(index) {
            Some(_) => Ok(self.into_verified()),
            None => Err(Error::SignatureVerificationFailed),
        }
    }

    fn into_verified(self) -> Verified {
        Verified { header: self.header, payload: self.payload }
    }
}

/// The raw signature over `message` by `key` under its signing algorithm:
/// the algorithm alone, with no JWS around it (detached content, tests).
pub fn signature(key: &Key, message: &[u8]) -> Result<Vec<u8>> {
    crypto::sign(key, key.signing_algorithm()?, message)
}

/// Checks a raw `signature` over `message` with `key` under `alg`: the
/// algorithm alone, with no JWS around it (detached content, test vectors).
pub fn verify_signature(key: &Key, alg: Algorithm, message: &[u8], signature: &[u8]) -> Result<bool> {
    crypto::verify(key, alg, message, signature)
}

/// Parses a compact JWS without verifying it: for display and debugging only.
pub fn decode(token: &str, max_size: usize) -> Result<Verified> {
    let jws = compact::parse(token, max_size)?;
    Ok(Verified { header: jws.header, payload: jws.payload })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::KeySet;

    fn token(key: &Key) -> String {
        sign(Map::new(), br#"{"sub":"s"}"#, key).unwrap()
    }

    #[test]
    fn two_steps_verify_what_one_step_verifies() {
        let key = Key::generate(Algorithm::ES256, Some("k")).unwrap();
        let token = token(&key);
        let pending = Unverified::parse(&token, &key, &[Algorithm::ES256], DEFAULT_MAX_TOKEN_SIZE).unwrap();
        assert_eq!(pending.alg(), Algorithm::ES256);
        assert!(verify_signature(&pending.candidates()[0], pending.alg(), pending.signing_input(), pending.signature()).unwrap());
        let two_steps = pending.verified_by(0).unwrap();
        assert_eq!(two_steps, verify(&token, &key, &[Algorithm::ES256], DEFAULT_MAX_TOKEN_SIZE).unwrap());
    }

    #[test]
    fn the_signing_input_is_refused_where_signing_is() {
        let key = Key::generate(Algorithm::ES256, None).unwrap();
        let public = Key::from_jwk(&key.to_jwk(false).unwrap()).unwrap();
        let mut jwk = key.to_jwk(true).unwrap();
        jwk.insert("key_ops".into(), serde_json::json!(["verify"]));
        let verify_only = Key::from_jwk(&jwk).unwrap();
        for refused in [&public, &verify_only] {
            let one_step = sign(Map::new(), b"{}", refused).unwrap_err();
            assert_eq!(signing_input(Map::new(), b"{}", refused).unwrap_err(), one_step);
        }
        let (input, alg) = signing_input(Map::new(), b"{}", &key).unwrap();
        let made = signature(&key, input.as_bytes()).unwrap();
        assert!(fits_signature(&key, alg, &made) && !fits_signature(&key, alg, &made[1..]));
        let token = assemble(&input, &made);
        assert_eq!(alg, Algorithm::ES256);
        assert!(verify(&token, &key, &[alg], DEFAULT_MAX_TOKEN_SIZE).is_ok());
    }

    #[test]
    fn only_a_candidate_that_may_verify_can_have_verified() {
        let key = Key::generate(Algorithm::EdDSA, None).unwrap();
        let pending = Unverified::parse(&token(&key), &key, &[Algorithm::EdDSA], DEFAULT_MAX_TOKEN_SIZE).unwrap();
        assert_eq!(pending.verified_by(1).unwrap_err(), Error::SignatureVerificationFailed);
        let mut jwk = key.to_jwk(false).unwrap();
        jwk.insert("key_ops".into(), serde_json::json!(["sign"]));
        let sign_only = Key::from_jwk(&jwk).unwrap();
        let refused = Unverified::parse(&token(&key), &sign_only, &[Algorithm::EdDSA], DEFAULT_MAX_TOKEN_SIZE).unwrap_err();
        assert_eq!(refused.code(), "ERR_JOSE_ALG_NOT_ALLOWED");
    }

    #[test]
    fn the_first_step_refuses_what_no_host_should_see() {
        let key = Key::generate(Algorithm::ES256, Some("k")).unwrap();
        let token = token(&key);
        let input = token.rsplit_once('.').unwrap().0;
        let parse = |token: &str, algs: &[Algorithm]| Unverified::parse(token, &key, algs, DEFAULT_MAX_TOKEN_SIZE).unwrap_err();
        assert_eq!(parse(&token, &[Algorithm::RS256]).code(), "ERR_JOSE_ALG_NOT_ALLOWED");
        for len in [63, 65, 70, 72] {
            let wrong_length = format!("{input}.{}", b64::encode(vec![1u8; len]));
            assert_eq!(parse(&wrong_length, &[Algorithm::ES256]), Error::SignatureVerificationFailed, "{len}");
        }
        let empty = KeySet::new();
        let no_key = Unverified::parse(&token, &empty, &[Algorithm::ES256], DEFAULT_MAX_TOKEN_SIZE).unwrap_err();
        assert_eq!(no_key, Error::JwksNoMatchingKey);
    }
}
