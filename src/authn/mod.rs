//! Authentication at the gateway: which of the credentials a request presents
//! lets it in, under a route's rule. Pure decisions; the host supplies only
//! the request's headers and the two things that need I/O (key sets from a
//! store or a URL, and API-key records), through [`Backend`].
//!
//! The chain: a rule lists credential kinds in the order they are tried.
//! Among the credentials the request presents, the first in that order that
//! verifies wins; one that fails does not end the chain, the next listed kind
//! is tried (Moose: "if that fails or is not applicable, it will then try ...
//! the API key"). Only when none verifies is the request refused:
//! - with our own failure (a store or key set unreachable: `StoreUnavailable`;
//!   our stored material broken) when one occurred, since the caller may have
//!   been right: the host answers 503 or 500, never a 401 that blames them;
//! - else as unauthenticated, with the challenge scheme of the first kind listed.
//!
//! A winner without the rule's scopes, or a session whose role does not
//! reach the route's, is [`Refusal::Forbidden`]; a session (a cookie, which
//! browsers send cross-site too) may write only from the same origin.

mod presented;
mod provider;
mod secrets;
mod static_keys;

pub use presented::RequestView;
pub use provider::{parse as parse_providers, KeysFrom, OwnSettings, Provider, RemoteKeys};
pub use secrets::{matches_any, stand_in};
pub use static_keys::{parse as parse_key_sets, StaticKeySet};

use crate::apikey::ApiKeyRecord;
use crate::http_auth::{ServiceTokenSource, MAX_CREDENTIAL_LEN};
use crate::jwt::Jwt;
use crate::policy::{Kind, Rule};
use crate::session::{client_of, cookie_value, is_same_origin, LoginLimit, Role, SessionCookie};
use crate::{ClaimReason, Error, KeySet, Result};
use presented::Authorization;
use secrets::SecretChecks;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

/// What the chain needs from its host that takes I/O.
#[allow(async_fn_in_trait)]
pub trait Backend {
    /// The key set of a provider whose keys are not fixed ([`KeysFrom::Own`]
    /// or [`KeysFrom::Remote`]). Return the same `Rc` while the set is
    /// unchanged: each provider keeps its verifier (and its memory of
    /// verified tokens) until it sees another set.
    async fn key_set(&self, from: &KeysFrom, now: f64) -> Result<Rc<KeySet>>;
    /// A [`KeysFrom::Remote`] set had no key for a token's `kid` (`None`:
    /// the token names none): the set again, refetched if the host's cache
    /// allows. By default the same set.
    async fn key_set_lacking(&self, from: &KeysFrom, _kid: Option<&str>, now: f64) -> Result<Rc<KeySet>> {
        self.key_set(from, now).await
    }
    /// The record of a valid API key (this Worker's own, in its store).
    async fn api_key(&self, key: &str, now: u64) -> Result<ApiKeyRecord>;
    /// The current role of the user of a session whose cookie verified, if
    /// the session is still live (not logged out, the user not deleted).
    async fn session(&self, cookie: &SessionCookie, now: f64) -> Result<Role>;
    /// The seconds until checks under `key` may go on, when `limit` failures
    /// were counted there within its window; `None` when they may now.
    async fn paused(&self, key: &str, limit: &LoginLimit, now: f64) -> Result<Option<u64>>;
    /// Counts a failed check under `key`.
    async fn failed(&self, key: &str, now: f64) -> Result<()>;
}

/// A verified caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// `jwt`, `api_key`, `key`, `service_token` or `basic`.
    pub method: &'static str,
    pub subject: String,
    pub claims: Value,
    pub scopes: Vec<String>,
    /// For a JWT, who vouched: the provider's name, else its issuer. Two
    /// providers' subjects are different people even when spelled alike.
    pub provider: Option<String>,
    /// For a session, the user's role.
    pub role: Option<Role>,
}

/// The scheme a 401 challenges with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Challenge {
    Bearer,
    Basic,
}

/// Why a request is not let in.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// No presented credential verified (or none was presented). `reason` is
    /// the first failure, for the log only.
    Unauthenticated { challenge: Challenge, reason: Option<Error> },
    /// A credential verified but lacks a scope or role the route requires.
    Forbidden,
    /// A session cookie on a write from another origin.
    CrossSite,
    /// Our side failed (a store, a key set, our stored material), or checks
    /// are paused after too many failures: not a verdict on the credential.
    Failed(Error),
}

/// The service token a deployment accepts.
pub struct ServiceToken {
    pub source: ServiceTokenSource,
    pub hash: String,
}

/// How session cookies are read: their name and the secret they are signed with.
pub struct Sessions {
    pub cookie_name: String,
    pub secret: Vec<u8>,
}

/// Everything the chain checks credentials with, built once per isolate.
pub struct Gate {
    sessions: Option<Sessions>,
    providers: Vec<Provider>,
    key_sets: Vec<StaticKeySet>,
    service_token: Option<ServiceToken>,
    basic_users: BTreeMap<String, String>,
    /// The costliest of the users' hashes: what an unknown user is checked against.
    basic_stand_in: Option<String>,
    api_key_header: String,
    secrets: SecretChecks,
    /// Failed Basic and service-token checks allowed per client: exact, kept
    /// by the host (the accounts object); no limit when `None`.
    failure_limit: Option<LoginLimit>,
}

/// One kind's try.
enum Attempt {
    Absent,
    Verified(Identity),
    Refused(Error),
}

impl Gate {
    pub fn new(
        providers: Vec<Provider>,
        key_sets: Vec<StaticKeySet>,
        service_token: Option<ServiceToken>,
        basic_users: BTreeMap<String, String>,
        api_key_header: &str,
    ) -> Gate {
        let api_key_header = api_key_header.to_ascii_lowercase();
        let basic_stand_in = secrets::stand_in(basic_users.values()).cloned();
        let secrets = SecretChecks::default();
        Gate { sessions: None, providers, key_sets, service_token, basic_users, basic_stand_in, api_key_header, secrets, failure_limit: None }
    }

    /// The gate, reading session cookies too.
    pub fn with_sessions(self, sessions: Sessions) -> Gate {
        Gate { sessions: Some(sessions), ..self }
    }

    /// The gate, pausing Basic and service-token checks for a client after
    /// `limit` failures, so no secret can be guessed at the edge's full speed.
    pub fn with_failure_limit(self, limit: LoginLimit) -> Gate {
        Gate { failure_limit: Some(limit), ..self }
    }

    pub fn sessions(&self) -> Option<&Sessions> {
        self.sessions.as_ref()
    }

    /// The headers that carry credentials, lower case with `_` read as `-`
    /// (as the forwarding side compares names): removed before forwarding.
    pub fn credential_headers(&self) -> Vec<String> {
        let fixed = ["authorization".to_owned(), self.api_key_header.clone()];
        let token = self.service_token.iter().map(|token| token.source.header_name().to_ascii_lowercase());
        let names = fixed.into_iter().chain(token).chain(self.key_sets.iter().map(|set| set.header.clone()));
        let mut names: Vec<String> = names.map(|name| name.replace('_', "-")).collect();
        names.sort();
        names.dedup();
        names
    }

    /// The query (without `?`) as the origin gets it: without a service
    /// token where the chain reads one, else exactly as sent.
    pub fn forwarded_query<'a>(&self, query: &'a str, websocket_upgrade: bool) -> std::borrow::Cow<'a, str> {
        match &self.service_token {
            Some(token) => token.source.forwarded_query(query, websocket_upgrade),
            None => query.into(),
        }
    }

    /// The header this Worker's own API keys come in (lower case).
    pub fn api_key_header(&self) -> &str {
        &self.api_key_header
    }

    /// The names of the configured providers and key sets, to check a policy against.
    pub fn provider_names(&self) -> impl Iterator<Item = &str> {
        self.providers.iter().filter_map(Provider::name)
    }

    pub fn has_key_set(&self, name: &str) -> bool {
        self.key_sets.iter().any(|set| set.name == name)
    }

    /// The caller `request` proves to be under `rule` at `now` (seconds).
    pub async fn authenticate<B: Backend>(&self, request: &impl RequestView, rule: &Rule, backend: &B, now: f64) -> std::result::Result<Identity, Refusal> {
        let authorization = Authorization::read(request);
        let mut failures: Vec<Error> = Vec::new();
        for kind in rule.kinds() {
            match self.attempt(kind, &authorization, request, rule, backend, now).await {
                Attempt::Absent => {}
                Attempt::Verified(identity) => return authorized(rule, identity, request),
                Attempt::Refused(error) => failures.push(error),
            }
        }
        Err(refusal(rule, failures))
    }

    async fn attempt<B: Backend>(&self, kind: &Kind, authorization: &Authorization, request: &impl RequestView, rule: &Rule, backend: &B, now: f64) -> Attempt {
        let outcome = match kind {
            Kind::Jwt => match authorization.bearer_jwt() {
                None => return Attempt::Absent,
                Some(token) => match token {
                    Ok(token) => self.jwt(token, rule, backend, now).await.and_then(|identity| addressed(rule, identity)),
                    Err(error) => Err(error),
                },
            },
            Kind::ApiKey => match request.header(&self.api_key_header).map(Ok).or_else(|| authorization.bearer().map(|t| t.map(str::to_owned))) {
                None => return Attempt::Absent,
                Some(key) => match key {
                    Ok(key) => backend.api_key(&key, now as u64).await.and_then(|record| issued_for(rule, record)).map(api_key_identity),
                    Err(error) => Err(error),
                },
            },
            Kind::Key(name) => match self.static_key(name, authorization, request, now) {
                None => return Attempt::Absent,
                Some(outcome) => outcome,
            },
            Kind::ServiceToken => match self.service_token(request, backend, now).await {
                None => return Attempt::Absent,
                Some(outcome) => outcome,
            },
            Kind::Session => match self.session(request, backend, now).await {
                None => return Attempt::Absent,
                Some(outcome) => outcome,
            },
            Kind::Basic => match authorization.basic() {
                None => return Attempt::Absent,
                Some(Ok(credentials)) => self.basic(&credentials.user_id, &credentials.password, &client(request), backend, now).await,
                Some(Err(error)) => Err(error),
            },
        };
        match outcome {
            Ok(identity) => Attempt::Verified(identity),
            Err(error) => Attempt::Refused(error),
        }
    }

    /// A JWT goes to the providers of the issuer it claims (read unverified,
    /// only to choose), among those the rule allows; the first that verifies it wins.
    async fn jwt<B: Backend>(&self, token: &str, rule: &Rule, backend: &B, now: f64) -> Result<Identity> {
        let claimed = crate::jwt::claimed_issuer(token);
        let candidates = self.providers.iter().filter(|p| p.serves(claimed.as_deref()) && rule.allows_provider(p.name()));
        let mut failure = Error::CredentialRejected;
        for provider in candidates {
            let keys = match provider.keys_from() {
                KeysFrom::Fixed => None,
                from => match backend.key_set(from, now).await {
                    Ok(keys) => Some(keys),
                    Err(error) => {
                        failure = worse(failure, error);
                        continue;
                    }
                },
            };
            match provider::verify_refetching(provider, token, keys, backend, now).await.and_then(|jwt| no_stray_issuer(provider, &jwt).map(|()| jwt)) {
                Ok(jwt) => return Ok(jwt_identity(&jwt, provider)),
                Err(error) => failure = worse(failure, error),
            }
        }
        Err(failure)
    }

    fn static_key(&self, name: &str, authorization: &Authorization, request: &impl RequestView, now: f64) -> Option<Result<Identity>> {
        let Some(set) = self.key_sets.iter().find(|set| set.name == name) else {
            return Some(Err(Error::HashInvalid("a policy names a key set that is not configured")));
        };
        let key = match set.in_authorization() {
            true => authorization.bearer()?.map(str::to_owned),
            false => request.header(&set.header).map(bounded)?,
        };
        Some(key.and_then(|key| match self.secrets.check(&format!("key:{name}"), &key, &set.hashes, now as u64)? {
            true => Ok(Identity { method: "key", subject: set.name.clone(), claims: json!({"key_set": set.name}), scopes: Vec::new(), provider: None, role: None }),
            false => Err(Error::CredentialRejected),
        }))
    }

    async fn service_token<B: Backend>(&self, request: &impl RequestView, backend: &B, now: f64) -> Option<Result<Identity>> {
        let Some(configured) = &self.service_token else {
            return Some(Err(Error::HashInvalid("a policy accepts service tokens and none is configured")));
        };
        let source = &configured.source;
        let upgrade = request.header("upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
        let header = request.header(source.header_name());
        let token = match source.extract(header.as_deref(), request.query(), upgrade) {
            Ok(token) => token?,
            Err(error) => return Some(Err(error)),
        };
        Some(match self.limited_check("service", token, std::slice::from_ref(&configured.hash), &client(request), backend, now).await {
            Ok(true) => Ok(Identity { method: "service_token", subject: "service".into(), claims: json!({}), scopes: Vec::new(), provider: None, role: None }),
            Ok(false) => Err(Error::CredentialRejected),
            Err(error) => Err(error),
        })
    }

    /// A session: the cookie's MAC and expiry here, its liveness and the
    /// user's current role from the host.
    async fn session<B: Backend>(&self, request: &impl RequestView, backend: &B, now: f64) -> Option<Result<Identity>> {
        let Some(sessions) = &self.sessions else {
            return Some(Err(Error::HashInvalid("a policy accepts sessions and SESSION_SECRET is not set")));
        };
        let header = request.header("cookie")?;
        let value = match cookie_value(&header, &sessions.cookie_name) {
            Ok(value) => value?,
            Err(error) => return Some(Err(error)),
        };
        let cookie = match SessionCookie::open(value, &sessions.secret, now) {
            Ok(cookie) => cookie,
            Err(error) => return Some(Err(error)),
        };
        Some(backend.session(&cookie, now).await.map(|role| Identity {
            method: "session",
            claims: json!({"user": cookie.user, "role": role}),
            subject: cookie.user,
            scopes: Vec::new(),
            provider: None,
            role: Some(role),
        }))
    }

    /// An unknown user costs at least the hash work of any known one: the
    /// password is checked against the costliest configured hash, and refused
    /// whatever it gives.
    async fn basic<B: Backend>(&self, user: &str, password: &str, client: &str, backend: &B, now: f64) -> Result<Identity> {
        let (stored, known) = match self.basic_users.get(user) {
            Some(stored) => (stored, true),
            None => (self.basic_stand_in.as_ref().ok_or(Error::CredentialRejected)?, false),
        };
        let matched = self.limited_check(&format!("basic:{user}"), password, std::slice::from_ref(stored), client, backend, now).await?;
        match matched && known {
            true => Ok(Identity { method: "basic", subject: user.to_owned(), claims: json!({"user": user}), scopes: Vec::new(), provider: None, role: None }),
            false => Err(Error::CredentialRejected),
        }
    }
}

impl Gate {
    /// A secret check that, under a failure limit, runs only while `client`
    /// has budget left for `who`, and spends it when it fails. A remembered
    /// outcome costs neither a hash nor the host: the same guess again
    /// teaches the caller nothing.
    async fn limited_check<B: Backend>(&self, who: &str, secret: &str, hashes: &[String], client: &str, backend: &B, now: f64) -> Result<bool> {
        let at = now as u64;
        if let Some(known) = self.secrets.recall(who, secret, hashes, at) {
            return Ok(known);
        }
        let Some(limit) = &self.failure_limit else { return self.secrets.compute(who, secret, hashes, at) };
        let key = format!("{who}\n{client}");
        if let Some(retry_after) = backend.paused(&key, limit, now).await? {
            return Err(Error::RateLimited { retry_after });
        }
        let matched = self.secrets.compute(who, secret, hashes, at)?;
        if !matched {
            backend.failed(&key, now).await?;
        }
        Ok(matched)
    }
}

/// The caller's address, as the edge saw it (`CF-Connecting-IP`).
fn client(request: &impl RequestView) -> String {
    client_of(&request.header("cf-connecting-ip").unwrap_or_else(|| "unknown".to_owned()))
}

fn bounded(value: String) -> Result<String> {
    match value.is_empty() || value.len() > MAX_CREDENTIAL_LEN {
        true => Err(Error::CredentialMalformed("a key header is empty or too long")),
        false => Ok(value),
    }
}

/// A provider for tokens without `iss` takes only those: a token whose `iss`
/// is not a string (so it claimed no issuer) is refused, not let through.
fn no_stray_issuer(provider: &Provider, jwt: &Jwt) -> Result<()> {
    match provider.serves(None) && jwt.claims.contains_key("iss") {
        true => Err(Error::claim_failed("iss", ClaimReason::Invalid)),
        false => Ok(()),
    }
}

/// The subject is `sub`, else `int_id` (this Worker's exchanged tokens),
/// else the provider's name: a token such as CloudMon's names no one.
fn jwt_identity(jwt: &Jwt, provider: &Provider) -> Identity {
    let claim = |name: &str| jwt.claims.get(name);
    let named = ["sub", "int_id"].iter().find_map(|name| claim(name).and_then(Value::as_str));
    let subject = named.or(provider.name()).unwrap_or_default().to_owned();
    let scopes = match (claim("scope"), claim("scopes")) {
        (Some(Value::String(scope)), _) => scope.split_whitespace().map(str::to_owned).collect(),
        (_, Some(Value::Array(items))) => items.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    };
    Identity { method: "jwt", subject, claims: Value::Object(jwt.claims.clone()), scopes, provider: Some(provider.label().to_owned()), role: None }
}

/// The rule names no audiences, or the key was issued for one of them.
fn issued_for(rule: &Rule, record: ApiKeyRecord) -> Result<ApiKeyRecord> {
    match &rule.audiences {
        Some(audiences) if !audiences.iter().any(|audience| record.allows_audience(audience)) => Err(audience_mismatch()),
        _ => Ok(record),
    }
}

/// The rule names no audiences, or the token's `aud` names one of them.
fn addressed(rule: &Rule, identity: Identity) -> Result<Identity> {
    let Some(audiences) = &rule.audiences else { return Ok(identity) };
    let named = |audience: &String| match identity.claims.get("aud") {
        Some(Value::String(aud)) => aud == audience,
        Some(Value::Array(auds)) => auds.iter().any(|aud| aud.as_str() == Some(audience)),
        _ => false,
    };
    match audiences.iter().any(named) {
        true => Ok(identity),
        false => Err(audience_mismatch()),
    }
}

fn audience_mismatch() -> Error {
    Error::ClaimValidationFailed { claim: "aud".into(), reason: crate::ClaimReason::Mismatch }
}

fn api_key_identity(record: ApiKeyRecord) -> Identity {
    let claims = json!({"key_id": record.key_id, "int_id": record.integration_id, "tier": record.tier, "scopes": record.scopes});
    Identity { method: "api_key", subject: record.integration_id, claims, scopes: record.scopes, provider: None, role: None }
}

fn authorized(rule: &Rule, identity: Identity, request: &impl RequestView) -> std::result::Result<Identity, Refusal> {
    let method = request.method();
    if let Some(role) = identity.role {
        if !is_same_origin(method, request.header("origin").as_deref(), request.header("sec-fetch-site").as_deref(), request.own_origin()) {
            return Err(Refusal::CrossSite);
        }
        if !role.permits(method) || rule.role.is_some_and(|least| role < least) {
            return Err(Refusal::Forbidden);
        }
    }
    match rule.scopes.iter().all(|needed| identity.scopes.contains(needed)) {
        true => Ok(identity),
        false => Err(Refusal::Forbidden),
    }
}

/// Whether an error is ours (a store, a key set, our stored material) rather
/// than the caller's.
fn is_ours(error: &Error) -> bool {
    matches!(error, Error::StoreUnavailable(_) | Error::HashInvalid(_) | Error::AtRestInvalid(_) | Error::JwkInvalid(_) | Error::JwksInvalid(_) | Error::JwksTimeout | Error::JwksUnavailable(_))
}

/// The failure to report of two: ours before the caller's, else the first.
fn worse(kept: Error, new: Error) -> Error {
    match (is_ours(&kept), is_ours(&new), kept == Error::CredentialRejected) {
        (false, true, _) | (false, false, true) => new,
        _ => kept,
    }
}

fn refusal(rule: &Rule, failures: Vec<Error>) -> Refusal {
    if let Some(ours) = failures.iter().find(|error| is_ours(error) || matches!(error, Error::RateLimited { .. })) {
        return Refusal::Failed(ours.clone());
    }
    let challenge = match rule.kinds().next() {
        Some(Kind::Basic) => Challenge::Basic,
        _ => Challenge::Bearer,
    };
    Refusal::Unauthenticated { challenge, reason: failures.into_iter().next() }
}

#[cfg(test)]
mod tests;
