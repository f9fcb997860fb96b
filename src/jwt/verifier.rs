//! [`Verifier`]: keys and validation bound together, remembering verified tokens.
//!
//! A token is remembered only after its signature and claims have passed, and
//! by its exact text, so a hit means the same bytes were verified before with
//! the same keys and options. A hit still re-runs the claim checks, so `exp`,
//! `nbf` and the maximum age are judged at the current time. The memory is
//! bounded: when full, the oldest entry goes.

use super::{validate::Validation, validated_at, verify_at, Jwt, Prevalidated};
use crate::clock;
use crate::error::Result;
use crate::jws::{KeySource, Verified};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

/// The default number of tokens remembered.
pub const DEFAULT_CAPACITY: usize = 1024;

/// Verifies tokens with fixed keys and options, caching what verified.
pub struct Verifier<K> {
    keys: K,
    validation: Validation,
    memory: Mutex<Memory>,
}

struct Memory {
    tokens: HashMap<String, Arc<Jwt>>,
    order: VecDeque<String>,
    capacity: usize,
}

impl<K: KeySource> Verifier<K> {
    /// A verifier remembering up to `capacity` tokens (0 remembers none).
    pub fn new(keys: K, validation: Validation, capacity: usize) -> Verifier<K> {
        let memory = Memory { tokens: HashMap::new(), order: VecDeque::new(), capacity };
        Verifier { keys, validation, memory: Mutex::new(memory) }
    }

    pub fn keys(&self) -> &K {
        &self.keys
    }

    pub fn validation(&self) -> &Validation {
        &self.validation
    }

    /// Verifies `token`, from memory when the same token verified before.
    pub fn verify(&self, token: &str) -> Result<Arc<Jwt>> {
        self.verify_at(token, self.validation.current_time.unwrap_or_else(clock::now))
    }

    /// [`Self::verify`] at `now` (seconds since the epoch), for a caller that
    /// reads the clock once per request.
    pub fn verify_at(&self, token: &str, now: f64) -> Result<Arc<Jwt>> {
        if let Some(known) = self.recall(token) {
            self.validation.check(&known.header, &known.claims, now)?;
            return Ok(known);
        }
        let verified = Arc::new(verify_at(token, &self.keys, &self.validation, now)?);
        self.remember(token, Arc::clone(&verified));
        Ok(verified)
    }

    /// The remembered result for `token`, its claims checked again at `now`;
    /// `None` when the token is not remembered. With [`Self::complete`], the
    /// verifier for hosts that check signatures with their own crypto.
    pub fn recall_at(&self, token: &str, now: f64) -> Option<Result<Arc<Jwt>>> {
        let known = self.recall(token)?;
        Some(self.validation.check(&known.header, &known.claims, now).map(|()| known))
    }

    /// The claims of `token`, whose signature a host checked (`verified`, from
    /// [`super::unverified`] with this verifier's keys and validation),
    /// validated at `now` and remembered.
    pub fn complete(&self, token: &str, verified: Verified, now: f64) -> Result<Arc<Jwt>> {
        self.remember_valid(token, validated_at(verified, &self.validation, now))
    }

    /// [`Self::complete`] with the claims checked while the host checked the
    /// signature ([`super::prevalidate`] with this verifier's validation).
    pub fn complete_prevalidated(&self, token: &str, verified: Verified, early: Prevalidated, now: f64) -> Result<Arc<Jwt>> {
        self.remember_valid(token, early.release(verified, &self.validation, now))
    }

    fn remember_valid(&self, token: &str, outcome: Result<Jwt>) -> Result<Arc<Jwt>> {
        let jwt = Arc::new(outcome?);
        self.remember(token, Arc::clone(&jwt));
        Ok(jwt)
    }

    fn recall(&self, token: &str) -> Option<Arc<Jwt>> {
        let memory = self.memory.lock().unwrap_or_else(PoisonError::into_inner);
        memory.tokens.get(token).cloned()
    }

    fn remember(&self, token: &str, jwt: Arc<Jwt>) {
        let mut memory = self.memory.lock().unwrap_or_else(PoisonError::into_inner);
        if memory.capacity == 0 || memory.tokens.contains_key(token) {
            return;
        }
        while memory.tokens.len() >= memory.capacity {
            let Some(oldest) = memory.order.pop_front() else { break };
            memory.tokens.remove(&oldest);
        }
        memory.order.push_back(token.to_owned());
        memory.tokens.insert(token.to_owned(), jwt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::Mint;
    use crate::{Algorithm, Error, Key};
    use serde_json::json;

    const NOW: f64 = 1_700_000_000.0;

    fn token(key: &Key, exp: f64) -> String {
        let mint = Mint { issued_at: false, ..Mint::default() };
        mint.sign(json!({"exp": exp}).as_object().unwrap(), key).unwrap()
    }

    fn verifier(key: &Key, now: f64, capacity: usize) -> Verifier<Key> {
        let validation = Validation { current_time: Some(now), ..Validation::new(&[Algorithm::HS256]) };
        Verifier::new(key.clone(), validation, capacity)
    }

    #[test]
    fn remembers_a_verified_token() {
        let key = Key::from_secret(&[1; 32], Algorithm::HS256, None).unwrap();
        let verifier = verifier(&key, NOW, 8);
        let token = token(&key, NOW + 10.0);
        let first = verifier.verify(&token).unwrap();
        assert!(Arc::ptr_eq(&first, &verifier.verify(&token).unwrap()));
    }

    #[test]
    fn rechecks_time_claims_on_a_hit() {
        let key = Key::from_secret(&[1; 32], Algorithm::HS256, None).unwrap();
        let token = token(&key, NOW + 10.0);
        let mut verifier = verifier(&key, NOW, 8);
        verifier.verify(&token).unwrap();
        verifier.validation.current_time = Some(NOW + 10.0);
        assert_eq!(verifier.verify(&token).unwrap_err(), Error::JwtExpired { claim: "exp" });
    }

    #[test]
    fn remembers_what_a_host_verified_and_rechecks_it() {
        let key = Key::from_secret(&[1; 32], Algorithm::HS256, None).unwrap();
        let verifier = verifier(&key, NOW, 8);
        let token = token(&key, NOW + 10.0);
        assert!(verifier.recall_at(&token, NOW).is_none());
        let unverified = crate::jwt::unverified(&token, verifier.keys(), verifier.validation()).unwrap();
        let first = verifier.complete(&token, unverified.verify().unwrap(), NOW).unwrap();
        assert!(Arc::ptr_eq(&first, &verifier.recall_at(&token, NOW).unwrap().unwrap()));
        assert_eq!(verifier.recall_at(&token, NOW + 10.0).unwrap().unwrap_err(), Error::JwtExpired { claim: "exp" });
    }

    #[test]
    fn forgets_the_oldest_when_full_and_never_remembers_failures() {
        let key = Key::from_secret(&[1; 32], Algorithm::HS256, None).unwrap();
        let verifier = verifier(&key, NOW, 2);
        let tokens: Vec<String> = (1..=3).map(|i| token(&key, NOW + f64::from(i))).collect();
        let first = verifier.verify(&tokens[0]).unwrap();
        verifier.verify(&tokens[1]).unwrap();
        verifier.verify(&tokens[2]).unwrap();
        assert!(!Arc::ptr_eq(&first, &verifier.verify(&tokens[0]).unwrap()));
        let altered = format!("{}x", tokens[1]);
        assert_eq!(verifier.verify(&altered).unwrap_err(), Error::SignatureVerificationFailed);
        assert_eq!(verifier.memory.lock().unwrap().tokens.len(), 2);
    }
}
