//! Remote key sets for the gateway's `remote_jwks` and `oidc` providers: the
//! Worker's side of [`crate::remote_jwks`], which decides everything else.
//! It supplies the fetch (`npm/remote-fetch.mjs`, the package's own) and a
//! copy shared across isolates in KV, so that a cold isolate, or one that
//! meets a rotated `kid`, reads what another isolate fetched instead of
//! asking the provider again.
//!
//! A Worker request may not await another request's I/O, so each request
//! drives its own fetch when it must: while one is under way, the others
//! serve the copy they have ([`crate::remote_jwks::Step::Wait`] never comes).
//! Sets are kept per isolate by source, one for every provider that names it,
//! each provider with its own checks over it.

use super::kv::Kv;
use crate::authn::RemoteKeys;
use crate::remote_jwks::{Headers, Outcome, RemoteKeySet, Request, Settings, Source, Step, Want, MAX_DOCUMENT_BYTES};
use crate::{Error, KeySet, Result};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use worker::{console_log, js_sys, wasm_bindgen_futures::JsFuture};

/// KV keys are at most 512 bytes: a longer source is not shared.
const MAX_SHARED_NAME: usize = 512;

#[wasm_bindgen(module = "/npm/remote-fetch.mjs")]
extern "C" {
    #[wasm_bindgen(js_name = fetchDocument)]
    fn fetch_document(url: &str, if_none_match: Option<String>, if_modified_since: Option<String>, timeout_ms: f64, max_bytes: f64) -> js_sys::Promise;
}

/// The most fetches one request makes for one remote set.
const MAX_FETCHES_PER_REQUEST: usize = 3;

/// The remote sets this isolate holds, by source.
#[derive(Default)]
pub(crate) struct RemoteSets(RefCell<HashMap<Source, RemoteKeySet>>);

impl RemoteSets {
    /// The set of `remote` for `want`, fetched (or read from KV) when the
    /// core says so.
    pub(crate) async fn key_set(&self, kv: &Kv, remote: &RemoteKeys, want: Want<'_>, now: f64) -> Result<Rc<KeySet>> {
        let mut shared_read = false;
        // A discovery document and a set, and one retry: never a fetch loop,
        // whatever the settings and the provider's answers.
        for _ in 0..MAX_FETCHES_PER_REQUEST {
            let request = match self.with(remote, |set| set.step(now, want, false))? {
                Step::Ready(keys) => return Ok(keys),
                Step::Fail(error) => return Err(error),
                Step::Wait => return Err(Error::JwksUnavailable("a remote JWK Set is being fetched")),
                Step::Fetch(request) => request,
            };
            if !request.discovery && !shared_read {
                shared_read = true;
                if self.adopt_shared(kv, remote).await? {
                    continue;
                }
            }
            let fetched = fetch(&request, self.with(remote, |set| set.settings())?).await;
            match self.with(remote, |set| set.settle(now, &request, fetched.outcome()))? {
                Ok(()) if !request.discovery => self.share(kv, remote, now).await,
                Ok(()) => {}
                Err(error) => console_log!("edgeauth: remote JWK Set {}: {error}", request.url),
            }
        }
        match self.with(remote, |set| set.step(now, want, false))? {
            Step::Ready(keys) => Ok(keys),
            Step::Fail(error) => Err(error),
            Step::Wait | Step::Fetch(_) => Err(Error::JwksUnavailable("a remote JWK Set is not ready after its fetches")),
        }
    }

    /// Acts on the set of `remote`, made on first use.
    fn with<T>(&self, remote: &RemoteKeys, act: impl FnOnce(&mut RemoteKeySet) -> T) -> Result<T> {
        let mut sets = self.0.borrow_mut();
        if !sets.contains_key(&remote.source) {
            let set = RemoteKeySet::new(remote.source.clone(), remote.settings).map_err(Error::JwksUnavailable)?;
            sets.insert(remote.source.clone(), set);
        }
        sets.get_mut(&remote.source).map(act).ok_or(Error::JwksUnavailable("no remote JWK Set"))
    }

    /// Whether KV held a newer copy than this isolate's, now taken. A KV
    /// failure only means asking the provider.
    async fn adopt_shared(&self, kv: &Kv, remote: &RemoteKeys) -> Result<bool> {
        let Some(name) = shared_name(&remote.source) else { return Ok(false) };
        match kv.get_text(&name).await {
            Ok(Some(record)) => self.with(remote, |set| set.adopt(&record)),
            _ => Ok(false),
        }
    }

    async fn share(&self, kv: &Kv, remote: &RemoteKeys, now: f64) {
        let (Some(name), Ok(Some((record, keep_until)))) = (shared_name(&remote.source), self.with(remote, |set| set.shared())) else { return };
        if let Err(error) = kv.put_text_expiring(&name, record, (keep_until - now).max(0.0) as u64).await {
            console_log!("edgeauth: remote JWK Set not shared: {error}");
        }
    }
}

fn shared_name(source: &Source) -> Option<String> {
    let name = match source {
        Source::Jwks(url) => format!("remote-jwks:{url}"),
        Source::Issuer(issuer) => format!("remote-jwks:oidc:{issuer}"),
    };
    (name.len() <= MAX_SHARED_NAME).then_some(name)
}

/// A fetch's result as the JS side gave it, owned.
#[derive(Default)]
struct Fetched {
    failure: Option<String>,
    status: u16,
    body: String,
    cache_control: Option<String>,
    age: Option<String>,
    expires: Option<String>,
    date: Option<String>,
    etag: Option<String>,
    last_modified: Option<String>,
}

impl Fetched {
    fn outcome(&self) -> Outcome<'_> {
        match self.failure.as_deref() {
            Some("timeout") => Outcome::Timeout,
            Some("too_large") => Outcome::TooLarge,
            Some(_) => Outcome::Unreachable,
            None => Outcome::Response {
                status: self.status,
                body: &self.body,
                headers: Headers {
                    cache_control: self.cache_control.as_deref(),
                    age: self.age.as_deref(),
                    expires: self.expires.as_deref(),
                    date: self.date.as_deref(),
                    etag: self.etag.as_deref(),
                    last_modified: self.last_modified.as_deref(),
                },
            },
        }
    }
}

async fn fetch(request: &Request, settings: Settings) -> Fetched {
    let promise = fetch_document(&request.url, request.if_none_match.clone(), request.if_modified_since.clone(), settings.timeout * 1000.0, MAX_DOCUMENT_BYTES as f64);
    let Ok(result) = JsFuture::from(promise).await else {
        return Fetched { failure: Some("unreachable".into()), ..Fetched::default() };
    };
    let text = |name: &str| js_sys::Reflect::get(&result, &JsValue::from_str(name)).ok().and_then(|value| value.as_string());
    Fetched {
        failure: text("failure"),
        status: js_sys::Reflect::get(&result, &JsValue::from_str("status")).ok().and_then(|s| s.as_f64()).map_or(0, |s| s as u16),
        body: text("body").unwrap_or_default(),
        cache_control: text("cacheControl"),
        age: text("age"),
        expires: text("expires"),
        date: text("date"),
        etag: text("etag"),
        last_modified: text("lastModified"),
    }
}
