//! `RemoteKeySet` for JS: the core's [`RemoteKeySet`] behind a handle. The
//! package's wrapper only fetches what [`JsRemote::step`] asks for (with
//! `npm/remote-fetch.mjs`) and awaits a fetch already under way; every
//! decision is the core's. Verified tokens are remembered by a core
//! [`Verifier`] over the current set, as the gateway's providers remember
//! theirs: until the set (or the options) change.

use super::error::{to_js, IntoJs, JsResult};
use super::keys::JsKeySet;
use super::options;
use super::jwt::{now, to_json, Keys};
use super::pending::JsPending;
use crate::remote_jwks::{precheck, Headers, Outcome, RemoteKeySet, Request, Settings, Source, Step, Want, MAX_DOCUMENT_BYTES};
use crate::jwt::{Verifier, DEFAULT_CAPACITY};
use crate::{Error, KeySet};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_name = WasmRemoteKeySet)]
pub struct JsRemote {
    set: RemoteKeySet,
    request: Option<Request>,
    ready: Option<Rc<KeySet>>,
    memory: Option<Memory>,
}

/// The verifier of one ready set under one set of options (JSON text).
struct Memory {
    keys: Rc<KeySet>,
    options: String,
    verifier: Rc<Verifier<Keys>>,
}

#[wasm_bindgen(js_class = WasmRemoteKeySet)]
impl JsRemote {
    /// A set at `url` (an issuer's, when `issuer`); durations in seconds, absent for the defaults.
    #[wasm_bindgen(constructor)]
    pub fn new(url: String, issuer: bool, timeout: Option<f64>, cooldown: Option<f64>, min_age: Option<f64>, max_age: Option<f64>, max_staleness: Option<f64>) -> JsResult<JsRemote> {
        let defaults = Settings::default();
        let settings = Settings {
            timeout: timeout.unwrap_or(defaults.timeout),
            cooldown: cooldown.unwrap_or(defaults.cooldown),
            min_age: min_age.unwrap_or(defaults.min_age),
            max_age: max_age.unwrap_or(defaults.max_age),
            max_staleness: max_staleness.unwrap_or(defaults.max_staleness),
        };
        let source = match issuer {
            true => Source::Issuer(url),
            false => Source::Jwks(url),
        };
        let set = RemoteKeySet::new(source, settings).map_err(js_sys::TypeError::new)?;
        Ok(JsRemote { set, request: None, ready: None, memory: None })
    }

    /// Refuses, as verification would, a token that may not cause a fetch.
    pub fn precheck(token: &str, options: &str) -> JsResult<()> {
        precheck(token, &options::validation(options)?).js()
    }

    /// 0: the set is ready; 1: fetch the `request*` getters' URL, then
    /// `settle` or `failed`; 2: await the fetch under way. Throws the
    /// failure. With `token`, the ready set lacked its `kid`.
    pub fn step(&mut self, now: f64, token: Option<String>, can_wait: bool) -> JsResult<u8> {
        let kid = match &token {
            Some(token) => Some(crate::jws::decode(token, usize::MAX).js()?.header.kid().map(str::to_owned)),
            None => None,
        };
        let want = kid.as_ref().map_or(Want::Keys, |kid| Want::Kid(kid.as_deref()));
        match self.set.step(now, want, can_wait) {
            Step::Ready(keys) => {
                self.ready = Some(keys);
                Ok(0)
            }
            Step::Fetch(request) => {
                self.request = Some(request);
                Ok(1)
            }
            Step::Wait => Ok(2),
            Step::Fail(error) => Err(to_js(error)),
        }
    }

    #[wasm_bindgen(getter, js_name = requestUrl)]
    pub fn request_url(&self) -> Option<String> {
        self.request.as_ref().map(|r| r.url.clone())
    }

    #[wasm_bindgen(getter, js_name = requestEtag)]
    pub fn request_etag(&self) -> Option<String> {
        self.request.as_ref().and_then(|r| r.if_none_match.clone())
    }

    #[wasm_bindgen(getter, js_name = requestSince)]
    pub fn request_since(&self) -> Option<String> {
        self.request.as_ref().and_then(|r| r.if_modified_since.clone())
    }

    /// Milliseconds a fetch may take.
    #[wasm_bindgen(getter, js_name = timeoutMs)]
    pub fn timeout_ms(&self) -> f64 {
        self.set.settings().timeout * 1000.0
    }

    #[wasm_bindgen(js_name = maxBytes)]
    pub fn max_bytes() -> usize {
        MAX_DOCUMENT_BYTES
    }

    /// The response to the request.
    #[allow(clippy::too_many_arguments)]
    pub fn settle(&mut self, now: f64, status: u16, body: &str, cache_control: Option<String>, age: Option<String>, expires: Option<String>, date: Option<String>, etag: Option<String>, last_modified: Option<String>) {
        let headers = Headers {
            cache_control: cache_control.as_deref(),
            age: age.as_deref(),
            expires: expires.as_deref(),
            date: date.as_deref(),
            etag: etag.as_deref(),
            last_modified: last_modified.as_deref(),
        };
        self.finish(now, Outcome::Response { status, body, headers });
    }

    /// The request failed: `timeout`, `too_large`, else unreachable.
    pub fn failed(&mut self, now: f64, why: &str) {
        let outcome = match why {
            "timeout" => Outcome::Timeout,
            "too_large" => Outcome::TooLarge,
            _ => Outcome::Unreachable,
        };
        self.finish(now, outcome);
    }

    /// A token the ready set verified before, its claims checked again now;
    /// `undefined` when it is not remembered (then `pending`).
    pub fn recall(&mut self, token: &str, options: &str) -> JsResult<Option<String>> {
        let verifier = self.verifier(options)?;
        match verifier.recall_at(token, now(&verifier)) {
            Some(jwt) => Ok(Some(to_json(&*jwt.js()?))),
            None => Ok(None),
        }
    }

    /// The ready set's token for the host's signature check; remembered once verified.
    pub fn pending(&mut self, token: &str, options: &str) -> JsResult<JsPending> {
        JsPending::remembered_by(token, self.verifier(options)?)
    }

    /// A copy of the ready set.
    pub fn keys(&self) -> JsResult<JsKeySet> {
        Ok(JsKeySet((*self.ready_keys()?).clone()))
    }
}

impl JsRemote {
    fn finish(&mut self, now: f64, outcome: Outcome<'_>) {
        if let Some(request) = self.request.take() {
            // A failure is kept by the set and thrown by the next step.
            let _ = self.set.settle(now, &request, outcome);
        }
    }

    /// The verifier of the ready set under `options`: the same one while neither changes.
    fn verifier(&mut self, options: &str) -> JsResult<Rc<Verifier<Keys>>> {
        let keys = self.ready_keys()?;
        if let Some(memory) = self.memory.as_ref().filter(|m| Rc::ptr_eq(&m.keys, &keys) && m.options == options) {
            return Ok(Rc::clone(&memory.verifier));
        }
        let validation = options::validation(options)?;
        let verifier = Rc::new(Verifier::new(Keys::Shared(Rc::clone(&keys)), validation, DEFAULT_CAPACITY));
        self.memory = Some(Memory { keys, options: options.to_owned(), verifier: Rc::clone(&verifier) });
        Ok(verifier)
    }

    fn ready_keys(&self) -> JsResult<Rc<KeySet>> {
        self.ready.clone().ok_or(Error::JwksUnavailable("no remote JWK Set is ready")).js()
    }
}
