//! [`KeySource`]: where a verifier finds the keys to try for a token.
//!
//! Defined here, beside its one user, so that `jws` needs nothing from the
//! key-set layer above it: `jwks` implements it for `KeySet`, and a host can
//! implement it for keys of its own.

use crate::error::{Error, Result};
use crate::jwk::Key;
use crate::jws::Algorithm;
use std::rc::Rc;

/// Where a verifier finds the keys to try for a token.
pub trait KeySource {
    /// The keys to try for a token with this `alg` and `kid`, best first.
    fn candidates(&self, alg: Algorithm, kid: Option<&str>) -> Result<Vec<&Key>>;
}

/// A single key is the one candidate, whatever `kid` the token names.
impl KeySource for Key {
    fn candidates(&self, alg: Algorithm, _kid: Option<&str>) -> Result<Vec<&Key>> {
        if !self.permits(alg) {
            return Err(Error::AlgNotAllowed("the key may not be used with the token's algorithm"));
        }
        Ok(vec![self])
    }
}

/// Shared keys (one fetched set behind several verifiers) serve as themselves.
impl<T: KeySource> KeySource for Rc<T> {
    fn candidates(&self, alg: Algorithm, kid: Option<&str>) -> Result<Vec<&Key>> {
        T::candidates(self, alg, kid)
    }
}
