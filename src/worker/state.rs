//! What a Worker isolate keeps between requests: its configuration, its KV
//! namespace and the API-key verifier with its cache of verified keys.
//!
//! Built on the first request from that request's `env` (in a module Worker
//! the bindings are the same for every request of an isolate). A
//! configuration error is kept too, so every request reports it.

use super::config::{Config, ConfigError};
use super::gateway::credential_headers;
use super::kv::{Kv, BINDING};
use crate::apikey::{ApiKeyRecord, ApiKeyVerifier, VerifiedCache};
use std::cell::OnceCell;
use std::rc::Rc;
use worker::{js_sys, Env};

/// API-key verifications remembered per isolate, and for how long.
const VERIFIED_KEYS: usize = 4096;
const VERIFIED_TTL_SECONDS: u64 = 30;

pub(crate) struct State {
    pub config: Config,
    pub kv: Kv,
    pub api_keys: ApiKeyVerifier<Kv>,
    /// Service tokens and basic-auth passwords that verified (PBKDF2 is paid
    /// once per isolate and TTL), keyed by a hash of what was presented.
    pub verified_secrets: VerifiedCache<String>,
    /// The headers the gateway removes before forwarding.
    pub credential_headers: js_sys::Array,
}

thread_local! {
    static STATE: OnceCell<Result<Rc<State>, ConfigError>> = const { OnceCell::new() };
}

pub(crate) fn state(env: &Env) -> Result<Rc<State>, ConfigError> {
    STATE.with(|cell| cell.get_or_init(|| build(env).map(Rc::new)).clone())
}

fn build(env: &Env) -> Result<State, ConfigError> {
    let config = Config::from_env(env)?;
    let kv = Kv(env.kv(BINDING).map_err(|_| ConfigError(format!("the KV binding {BINDING} is missing")))?);
    let cache: VerifiedCache<ApiKeyRecord> = VerifiedCache::new(VERIFIED_KEYS, VERIFIED_TTL_SECONDS);
    let api_keys = ApiKeyVerifier::new(config.api_key_format.clone(), kv.clone(), cache);
    let verified_secrets = VerifiedCache::new(VERIFIED_KEYS, VERIFIED_TTL_SECONDS);
    let credential_headers = credential_headers(config.service_token.header_name());
    Ok(State { config, kv, api_keys, verified_secrets, credential_headers })
}
