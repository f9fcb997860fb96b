//! `verify`, `decode`, `Verifier` and the claims `sign` reads, for JS. Results are JSON text
//! `{"header": ..., "payload": ...}`.

use super::error::{type_error, IntoJs, JsResult};
use super::keys::{JsKey, JsKeySet};
use super::options;
use super::pending::JsPending;
use crate::jwt::{self, Jwt, Verifier, DEFAULT_CAPACITY};
use crate::jws::KeySource;
use crate::{clock, json};
use crate::{Algorithm, Key, KeySet, Result};
use serde_json::{Map, Value};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A payload to sign, as claims.
pub(super) fn claims(payload: &str) -> JsResult<Map<String, Value>> {
    json::parse_object(payload.as_bytes())
        .map_err(|_| type_error("the payload must be a JSON object without duplicate members"))
}

#[wasm_bindgen(js_name = verifyWithKey)]
pub fn verify_with_key(token: &str, key: &JsKey, options: &str) -> JsResult<String> {
    verified(jwt::verify(token, &key.0, &options::validation(options)?))
}

#[wasm_bindgen(js_name = verifyWithKeySet)]
pub fn verify_with_key_set(token: &str, keys: &JsKeySet, options: &str) -> JsResult<String> {
    verified(jwt::verify(token, &keys.0, &options::validation(options)?))
}

/// Reads a token without verifying it: for display and debugging only.
#[wasm_bindgen]
pub fn decode(token: &str) -> JsResult<String> {
    verified(jwt::decode(token))
}

fn verified(result: Result<Jwt>) -> JsResult<String> {
    result.js().map(|jwt| to_json(&jwt))
}

/// `{"header": ..., "payload": ...}` from the texts the token carries: the
/// strict parser accepted them, so JSON.parse reads what the core checked,
/// as jose would, with no second rendering.
pub(super) fn to_json(jwt: &Jwt) -> String {
    format!(r#"{{"header":{},"payload":{}}}"#, jwt.header.json(), jwt.claims_json)
}

/// Either kind of key source, fixed when the verifier is made.
pub(super) enum Keys {
    One(Key),
    Set(KeySet),
    /// A remote key set's current keys, shared with it.
    Shared(Rc<KeySet>),
}

impl KeySource for Keys {
    fn candidates(&self, alg: Algorithm, kid: Option<&str>) -> Result<Vec<&Key>> {
        match self {
            Keys::One(key) => key.candidates(alg, kid),
            Keys::Set(set) => set.candidates(alg, kid),
            Keys::Shared(set) => set.candidates(alg, kid),
        }
    }
}

/// A verifier that remembers the tokens it verified (the core's
/// `jwt::Verifier`). A remembered token is still checked on every call (the
/// core re-runs the claim checks); its result is the token's own JSON text,
/// so rendering it again costs a copy. The package keeps results itself
/// within the core's `sureWindow`.
#[wasm_bindgen(js_name = WasmVerifier)]
pub struct JsVerifier {
    verifier: Rc<Verifier<Keys>>,
}

#[wasm_bindgen(js_class = WasmVerifier)]
impl JsVerifier {
    #[wasm_bindgen(js_name = withKey)]
    pub fn with_key(key: &JsKey, options: &str) -> JsResult<JsVerifier> {
        JsVerifier::new(Keys::One(key.0.clone()), options)
    }

    #[wasm_bindgen(js_name = withKeySet)]
    pub fn with_key_set(keys: &JsKeySet, options: &str) -> JsResult<JsVerifier> {
        JsVerifier::new(Keys::Set(keys.0.clone()), options)
    }

    pub fn verify(&self, token: &str) -> JsResult<String> {
        Ok(to_json(&*self.verifier.verify(token).js()?))
    }

    /// A remembered token's result, its claims checked again now; `undefined`
    /// when the token is not remembered (then `pending`).
    pub fn recall(&self, token: &str) -> JsResult<Option<String>> {
        match self.verifier.recall_at(token, now(&self.verifier)) {
            Some(jwt) => Ok(Some(to_json(&*jwt.js()?))),
            None => Ok(None),
        }
    }

    /// `[from, until]`: the times, in seconds since the epoch, at which the
    /// remembered `token` surely still passes (the core's
    /// `Verifier::sure_window`); `undefined` when it is not remembered. The
    /// package answers from its own memory inside it.
    #[wasm_bindgen(js_name = sureWindow)]
    pub fn sure_window(&self, token: &str) -> Option<Vec<f64>> {
        self.verifier.sure_window(token).map(|(from, until)| vec![from, until])
    }

    /// `token` for the host's signature check; settling it remembers the token.
    pub fn pending(&self, token: &str) -> JsResult<JsPending> {
        JsPending::remembered_by(token, Rc::clone(&self.verifier))
    }
}

/// The verifier's time: its `currentDate`, else the clock.
pub(super) fn now(verifier: &Verifier<Keys>) -> f64 {
    verifier.validation().current_time.unwrap_or_else(clock::now)
}

impl JsVerifier {
    fn new(keys: Keys, options: &str) -> JsResult<JsVerifier> {
        let validation = options::validation(options)?;
        let verifier = Verifier::new(keys, validation, DEFAULT_CAPACITY);
        Ok(JsVerifier { verifier: Rc::new(verifier) })
    }
}
