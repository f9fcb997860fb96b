//! What a Worker isolate keeps between requests, all of it here: its
//! configuration, its KV namespace, the API-key verifier with its cache of
//! verified keys, the signing keys with their caches, the remote JWK Sets
//! fetched, the third-party secrets opened, and the gateway's credential checks ([`Gate`], with its
//! providers' verifiers and remembered secret checks).
//!
//! Built on the first request from that request's `env` (in a module Worker
//! the bindings are the same for every request of an isolate). A
//! configuration error is kept too, so every request reports it.

use super::config::{self, Config, ConfigError};
use super::accounts::Accounts;
use super::api_keys::{ApiKeyStore, BINDING as KEY_STATUS_BINDING};
use super::kv::{Kv, BINDING};
use super::remote::RemoteSets;
use super::secrets::Secrets;
use super::signing::SigningKeys;
use crate::apikey::{ApiKeyRecord, ApiKeyVerifier, VerifiedCache};
use crate::authn::Gate;
use std::cell::OnceCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use worker::{js_sys, Env};

/// API-key verifications remembered per isolate, and for how long.
const VERIFIED_KEYS: usize = 4096;
const VERIFIED_TTL_SECONDS: u64 = 30;

pub(crate) struct State {
    pub config: Config,
    pub kv: Kv,
    pub api_keys: ApiKeyVerifier<ApiKeyStore>,
    pub gate: Gate,
    pub signing: SigningKeys,
    pub remote_sets: RemoteSets,
    /// The accounts Durable Object, where `wrangler.toml` binds it.
    pub accounts: Option<Accounts>,
    /// A user exists: it stays so (the last admin cannot be removed), so
    /// setup questions need not reach the object again.
    pub setup_done: std::cell::Cell<bool>,
    /// Third-party secrets opened for the policy's `inject`.
    pub secrets: Secrets,
    /// The headers the gateway removes before forwarding, lower case, as the
    /// array `forwardedHeaders` takes: made once per isolate, not per request.
    pub credential_headers: js_sys::Array,
}

thread_local! {
    static STATE: OnceCell<Result<Rc<State>, ConfigError>> = const { OnceCell::new() };
}

pub(crate) fn state(env: &Env) -> Result<Rc<State>, ConfigError> {
    STATE.with(|cell| cell.get_or_init(|| build(env).map(Rc::new)).clone())
}

impl State {
    /// The accounts object, which the gateway's limiter and sessions need.
    pub(crate) fn accounts(&self) -> crate::Result<&Accounts> {
        self.accounts.as_ref().ok_or(crate::Error::StoreUnavailable("no accounts object is bound"))
    }
}

fn build(env: &Env) -> Result<State, ConfigError> {
    let config = Config::from_env(env)?;
    let missing = || ConfigError { setting: BINDING.to_owned(), detail: "(a KV binding) is missing".to_owned() };
    let kv = Kv(env.kv(BINDING).map_err(|_| missing())?);
    let cache: VerifiedCache<ApiKeyRecord> = VerifiedCache::new(VERIFIED_KEYS, VERIFIED_TTL_SECONDS);
    let status = match (config.exact_revocation, env.durable_object(KEY_STATUS_BINDING).ok()) {
        (false, _) => None,
        (true, Some(objects)) => Some(objects),
        (true, None) => return Err(ConfigError { setting: KEY_STATUS_BINDING.to_owned(), detail: "(a Durable Object binding) is missing; set EXACT_REVOCATION=false to let KV alone decide".to_owned() }),
    };
    let store = ApiKeyStore::new(kv.clone(), status);
    let api_keys = ApiKeyVerifier::new(config.api_key_format.clone(), store, cache);
    let accounts = config::accounts(env)?;
    let gate = config::gate(env, &config, accounts.is_some())?;
    let credential_headers = gate.credential_headers().iter().map(|name| JsValue::from_str(name)).collect();
    let signing = SigningKeys::new(kv.clone());
    Ok(State { config, kv, api_keys, gate, signing, remote_sets: RemoteSets::default(), accounts, setup_done: Default::default(), secrets: Secrets::default(), credential_headers })
}
