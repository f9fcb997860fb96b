//! Claims validated while a host checks the signature. A host's check can be
//! asynchronous (WebCrypto runs it off the main thread); validating the
//! claims of the still unverified payload meanwhile overlaps that work with
//! the wait. The outcome stays sealed until the signature's proof, a
//! [`jws::Verified`] of the same header and payload, releases it: nothing
//! of the payload is trusted before the signature has verified, a failed
//! signature is reported before any claim, and the claims' times are judged
//! at release, not when the host started.

use super::{validated_parts, Jwt, Validation};
use crate::error::Result;
use crate::jws::{self, Unverified};

/// The claims check of a token whose signature is not yet verified.
pub struct Prevalidated {
    outcome: Result<Jwt>,
    header_json: Box<str>,
    payload: Vec<u8>,
}

/// Validates `unverified`'s claims under `validation` at `now`, sealed until its signature verifies.
pub fn prevalidate(unverified: &Unverified, validation: &Validation, now: f64) -> Prevalidated {
    let (header, payload) = (unverified.header().clone(), unverified.payload().to_vec());
    Prevalidated {
        header_json: header.json().into(),
        outcome: validated_parts(header, payload.clone(), validation, now),
        payload,
    }
}

impl Prevalidated {
    /// The outcome, now that `verified` proves the signature, judged at
    /// `now`: the claims passed are checked again at this later time (cheap:
    /// nothing is parsed), so a token that expired while the host worked is
    /// refused. A refusal, or a proof for another header or payload, gets
    /// them validated afresh.
    pub fn release(self, verified: jws::Verified, validation: &Validation, now: f64) -> Result<Jwt> {
        let same = verified.header.json() == &*self.header_json && verified.payload == self.payload;
        match self.outcome {
            Ok(jwt) if same => validation.check(&jwt.header, &jwt.claims, now).map(|()| jwt),
            _ => validated_parts(verified.header, verified.payload, validation, now),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::{unverified, Mint};
    use crate::{Algorithm, Error, Key};
    use serde_json::{json, Map};

    const NOW: f64 = 1_700_000_000.0;

    fn token(key: &Key, claims: serde_json::Value) -> String {
        let mint = Mint { current_time: Some(NOW as u64), ..Mint::default() };
        mint.sign(claims.as_object().unwrap_or(&Map::new()), key).unwrap()
    }

    fn validation() -> Validation {
        Validation { current_time: Some(NOW), ..Validation::new(&[Algorithm::ES256]) }
    }

    #[test]
    fn releases_what_validating_after_the_signature_gives() {
        let key = Key::generate(Algorithm::ES256, None).unwrap();
        for claims in [json!({"sub": "s", "exp": NOW + 60.0}), json!({"sub": "s", "exp": NOW - 60.0}), json!({"sub": "s"})] {
            let token = token(&key, claims);
            let early = prevalidate(&unverified(&token, &key, &validation()).unwrap(), &validation(), NOW);
            let verified = unverified(&token, &key, &validation()).unwrap().verify().unwrap();
            assert_eq!(early.release(verified, &validation(), NOW), crate::jwt::verify(&token, &key, &validation()));
        }
    }

    #[test]
    fn times_are_judged_at_release() {
        let key = Key::generate(Algorithm::ES256, None).unwrap();
        let token = token(&key, json!({"exp": NOW + 5.0, "nbf": NOW + 2.0}));
        let unverified = |at: f64| unverified(&token, &key, &Validation { current_time: Some(at), ..validation() }).unwrap();
        let expired_meanwhile = prevalidate(&unverified(NOW + 3.0), &validation(), NOW + 3.0);
        let verified = unverified(NOW).verify().unwrap();
        assert_eq!(expired_meanwhile.release(verified, &validation(), NOW + 6.0).unwrap_err(), Error::JwtExpired { claim: "exp" });
        let valid_meanwhile = prevalidate(&unverified(NOW), &validation(), NOW);
        let verified = unverified(NOW).verify().unwrap();
        assert!(valid_meanwhile.release(verified, &validation(), NOW + 3.0).is_ok(), "nbf passed while the host worked");
    }

    #[test]
    fn a_proof_of_another_token_is_validated_afresh() {
        let key = Key::generate(Algorithm::ES256, None).unwrap();
        let expired = token(&key, json!({"exp": NOW - 60.0}));
        let fresh = token(&key, json!({"exp": NOW + 60.0}));
        let early = prevalidate(&unverified(&fresh, &key, &validation()).unwrap(), &validation(), NOW);
        let other = unverified(&expired, &key, &validation()).unwrap().verify().unwrap();
        assert_eq!(early.release(other, &validation(), NOW).unwrap_err(), Error::JwtExpired { claim: "exp" });
    }
}
