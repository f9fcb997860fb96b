//! `verify` in two steps for JS hosts with native signature code: the core
//! parses the token, checks its `alg` and chooses its candidate keys; the
//! package's wrapper checks the signature with the host's crypto (Node's
//! `crypto.verify`, WebCrypto) and reports which candidate it verified with;
//! the core then validates the claims. `host::computes` says which
//! algorithms are offered to the host.

use super::error::{IntoJs, JsResult};
use super::host;
use super::keys::{JsKey, JsKeySet};
use super::jwt::{now, to_json, Keys};
use super::options;
use crate::jws::{Unverified, Verified};
use crate::jws::KeySource;
use crate::jwt::{self, Prevalidated, Validation, Verifier};
use crate::{clock, Error, Key, Result};
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// A token waiting for its signature check. Each of `verifyHere`, `accept`
/// and `reject` settles it once.
#[wasm_bindgen(js_name = WasmPending)]
pub struct JsPending {
    unverified: Option<Unverified>,
    validation: Validation,
    /// The verifier that remembers the token once it verified, and the token.
    memory: Option<(Rc<Verifier<Keys>>, String)>,
    /// The claims, checked while the host checks the signature (`prepare`).
    early: Option<Prevalidated>,
}

#[wasm_bindgen(js_class = WasmPending)]
impl JsPending {
    #[wasm_bindgen(js_name = withKey)]
    pub fn with_key(token: &str, key: &JsKey, options: &str) -> JsResult<JsPending> {
        JsPending::new(token, &key.0, options)
    }

    #[wasm_bindgen(js_name = withKeySet)]
    pub fn with_key_set(token: &str, keys: &JsKeySet, options: &str) -> JsResult<JsPending> {
        JsPending::new(token, &keys.0, options)
    }

    /// The algorithm, when the host should check the signature
    /// (`host::computes`); `undefined` when wasm checks it (`verifyHere`).
    #[wasm_bindgen(getter, js_name = hostAlg)]
    pub fn host_alg(&self) -> Option<String> {
        let alg = self.unverified.as_ref()?.alg();
        host::computes(alg).then(|| alg.name().to_owned())
    }

    #[wasm_bindgen(getter, js_name = candidateCount)]
    pub fn candidate_count(&self) -> usize {
        self.unverified.as_ref().map_or(0, |u| u.candidates().len())
    }

    /// Candidate `index`'s RFC 7638 thumbprint: an identity for the host's
    /// cache of imported keys, cheaper than its JWK.
    #[wasm_bindgen(js_name = candidateThumbprint)]
    pub fn candidate_thumbprint(&self, index: usize) -> JsResult<String> {
        self.candidate(index).map(Key::thumbprint)
    }

    /// The public JWK of candidate `index`, with only the members a host imports.
    #[wasm_bindgen(js_name = candidateJwk)]
    pub fn candidate_jwk(&self, index: usize) -> JsResult<String> {
        host::jwk(self.candidate(index)?, false)
    }

    /// The signing input, then the signature, in one copy (each crossing
    /// out of wasm costs): `inputLength` splits them.
    #[wasm_bindgen(getter)]
    pub fn signed(&self) -> Vec<u8> {
        self.unverified.as_ref().map(|u| [u.signing_input(), u.signature()].concat()).unwrap_or_default()
    }

    #[wasm_bindgen(getter, js_name = inputLength)]
    pub fn input_length(&self) -> usize {
        self.unverified.as_ref().map_or(0, |u| u.signing_input().len())
    }

    /// Checks the claims now, while the host checks the signature; `accept`
    /// releases the outcome, `reject` never does.
    pub fn prepare(&mut self) {
        if let Some(unverified) = &self.unverified {
            self.early = Some(jwt::prevalidate(unverified, &self.validation, self.now()));
        }
    }

    /// Checks the signature here, then the claims.
    #[wasm_bindgen(js_name = verifyHere)]
    pub fn verify_here(&mut self) -> JsResult<String> {
        self.settle(Unverified::verify)
    }

    /// The host verified the signature with candidate `index`: now the
    /// claims. Refused for an algorithm the host is not asked to check.
    pub fn accept(&mut self, index: usize) -> JsResult<String> {
        let for_host = self.unverified.as_ref().is_some_and(|u| host::computes(u.alg()));
        self.settle(|unverified| match for_host {
            true => unverified.verified_by(index),
            false => Err(Error::SignatureVerificationFailed),
        })
    }

    /// The host verified the signature with no candidate.
    pub fn reject(&mut self) -> JsResult<String> {
        self.settle(|_| Err(Error::SignatureVerificationFailed))
    }
}

impl JsPending {
    fn candidate(&self, index: usize) -> JsResult<&Key> {
        self.unverified.as_ref().and_then(|u| u.candidates().get(index)).ok_or(Error::JwksNoMatchingKey).js()
    }

    pub(super) fn new(token: &str, keys: &impl KeySource, options: &str) -> JsResult<JsPending> {
        let validation = options::validation(options)?;
        let unverified = jwt::unverified(token, keys, &validation).js()?;
        Ok(JsPending { unverified: Some(unverified), validation, memory: None, early: None })
    }

    /// `token` under `verifier`'s keys and validation; once verified, remembered by it.
    pub(super) fn remembered_by(token: &str, verifier: Rc<Verifier<Keys>>) -> JsResult<JsPending> {
        let unverified = jwt::unverified(token, verifier.keys(), verifier.validation()).js()?;
        let validation = verifier.validation().clone();
        Ok(JsPending { unverified: Some(unverified), validation, memory: Some((verifier, token.to_owned())), early: None })
    }

    fn settle(&mut self, check: impl FnOnce(Unverified) -> Result<Verified>) -> JsResult<String> {
        let unverified = self.unverified.take().ok_or(Error::SignatureVerificationFailed).js()?;
        let verified = check(unverified).js()?;
        let now = self.now();
        let jwt = match (&self.memory, self.early.take()) {
            (Some((verifier, token)), Some(early)) => verifier.complete_prevalidated(token, verified, early, now),
            (Some((verifier, token)), None) => verifier.complete(token, verified, now),
            (None, Some(early)) => early.release(verified, &self.validation, now).map(Arc::new),
            (None, None) => jwt::validated(verified, &self.validation).map(Arc::new),
        };
        Ok(to_json(&*jwt.js()?))
    }

    /// The time claims are checked at: the verifier's, or the options' `currentDate`, else the clock.
    fn now(&self) -> f64 {
        match &self.memory {
            Some((verifier, _)) => now(verifier),
            None => self.validation.current_time.unwrap_or_else(clock::now),
        }
    }
}
