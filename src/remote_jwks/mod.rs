//! Remote key sets, decided once for every host: when to fetch a provider's
//! JWK Set, what the cache holds, and what a failed fetch does. The npm
//! package and the Worker supply only the fetch (and the Worker a store
//! shared across isolates); this module does no I/O and reads no clock.
//!
//! A host drives a [`RemoteKeySet`] in a loop: [`RemoteKeySet::step`] says
//! what to do next ([`Step`]): verify with a set, fetch a URL (then
//! [`RemoteKeySet::settle`] with how it went, and step again), wait for a
//! fetch already under way, or fail closed. The rules:
//! - a copy is fresh for what `Cache-Control` and `Age`, else `Expires`,
//!   say, clamped to [`Settings::min_age`]..[`Settings::max_age`];
//! - a token whose `kid` the fresh copy lacks causes at most one fetch per
//!   [`Settings::cooldown`], and a `kid` still missing afterwards is
//!   remembered until the set next changes, so made-up `kid`s cause no storm;
//! - when a refresh fails, the last good copy serves for at most
//!   [`Settings::max_staleness`] (less if the provider's `stale-if-error`
//!   says so), then verification fails with the failure's code
//!   (`ERR_JWKS_TIMEOUT`, `ERR_JWKS_UNAVAILABLE`, `ERR_JWKS_INVALID`); the
//!   next attempt waits for the cooldown;
//! - one fetch at a time: a host that can await another verification's fetch
//!   is told to [`Step::Wait`]; one that cannot (a Worker request may not
//!   await another request's I/O) serves the copy it has, or fetches itself
//!   when it has none;
//! - redirects are refused, documents over [`MAX_DOCUMENT_BYTES`] and
//!   empty sets are invalid, and only https (or loopback http) is fetched.

mod freshness;
mod source;
#[cfg(test)]
mod tests;

pub use freshness::{http_date, Headers};
pub use source::{allowed_url, discovery_url, jwks_uri};

use crate::jwt::Validation;
use crate::{ClaimReason, Error, KeySet, Result};
use freshness::Freshness;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::rc::Rc;

/// The largest document read, a JWK Set or a discovery document.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;
/// What hosts send as `Accept`.
pub const ACCEPT: &str = "application/jwk-set+json, application/json";
/// Missing `kid`s remembered per set, and the longest one remembered.
const MAX_MISSES: usize = 64;
const MAX_KID_LEN: usize = 256;

/// A set's timings, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// How long a fetch may take; also when a fetch that never settled is given up.
    pub timeout: f64,
    /// The least time between fetches caused by unknown `kid`s, and after a failure.
    pub cooldown: f64,
    pub min_age: f64,
    pub max_age: f64,
    /// How long past its freshness a copy serves while refreshes fail.
    pub max_staleness: f64,
}

impl Default for Settings {
    /// jose's timeout, cooldown and ten minutes; a minute at least; an hour stale.
    fn default() -> Settings {
        Settings { timeout: 5.0, cooldown: 30.0, min_age: 60.0, max_age: 600.0, max_staleness: 3600.0 }
    }
}

/// Sound because [`Settings::checked`] admits no NaN, the one value for
/// which float equality is not an equivalence.
impl Eq for Settings {}

impl Settings {
    /// The settings, if every value is a finite non-negative number, the
    /// timeout, cooldown and minimum age are above zero (at zero a copy is
    /// never fresh and a failure never cools down: every step would fetch
    /// again), the timeout at most a minute, and the minimum age not above
    /// the maximum.
    pub fn checked(self) -> std::result::Result<Settings, &'static str> {
        let values = [self.timeout, self.cooldown, self.min_age, self.max_age, self.max_staleness];
        if !values.iter().all(|v| v.is_finite() && *v >= 0.0) {
            return Err("remote key set durations must be finite and not negative");
        }
        if !(self.timeout > 0.0 && self.timeout <= 60.0 && self.cooldown > 0.0 && self.min_age > 0.0) {
            return Err("a remote key set's timeout (at most a minute), cooldown and minimum age must be above zero");
        }
        match self.min_age <= self.max_age {
            true => Ok(self),
            false => Err("the minimum cache age exceeds the maximum"),
        }
    }
}

/// Where the set comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    /// A JWK Set URL.
    Jwks(String),
    /// An OpenID issuer, whose discovery document names the set's URL.
    Issuer(String),
}

/// What the host needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want<'a> {
    /// A current set.
    Keys,
    /// The set last given has no key for a token's `kid` (`None`: the token
    /// names none). Say so only after the token's shape, `alg` and `iss`
    /// were checked ([`precheck`]).
    Kid(Option<&'a str>),
}

/// What the host does next.
#[derive(Debug, Clone)]
pub enum Step {
    /// Verify with these keys.
    Ready(Rc<KeySet>),
    /// Fetch this, [`RemoteKeySet::settle`], then step again.
    Fetch(Request),
    /// Another verification is fetching: await it, then step again.
    Wait,
    /// Fail closed.
    Fail(Error),
}

/// A fetch to make: GET, `Accept: ACCEPT`, no redirects followed, at most
/// [`MAX_DOCUMENT_BYTES`], within [`Settings::timeout`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub url: String,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
    /// The issuer's discovery document rather than the set.
    pub discovery: bool,
}

/// How a fetch ended.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    Response { status: u16, body: &'a str, headers: Headers<'a> },
    Timeout,
    TooLarge,
    Unreachable,
}

/// The last good set.
#[derive(Debug)]
struct Held {
    keys: Rc<KeySet>,
    document: Rc<str>,
    fetched: f64,
    fresh_until: f64,
    stale_until: f64,
    etag: Option<String>,
    last_modified: Option<String>,
    /// Not `no-store`: other isolates may have it.
    shareable: bool,
}

/// A set as other isolates read it from a shared store.
#[derive(Serialize, Deserialize)]
struct Shared {
    document: String,
    fetched: f64,
    fresh_until: f64,
    stale_until: f64,
    etag: Option<String>,
    last_modified: Option<String>,
}

/// One remote key set's cache and rules.
#[derive(Debug)]
pub struct RemoteKeySet {
    source: Source,
    settings: Settings,
    held: Option<Held>,
    /// The issuer's `jwks_uri`, and until when it is fresh.
    discovered: Option<(String, f64)>,
    /// When the last set fetch to settle began.
    attempted: Option<f64>,
    failure: Option<(f64, Error)>,
    /// When the fetch under way began.
    flight: Option<f64>,
    misses: VecDeque<String>,
}

impl RemoteKeySet {
    /// A set from `source`, whose URL must be https (or loopback http).
    pub fn new(source: Source, settings: Settings) -> std::result::Result<RemoteKeySet, &'static str> {
        let (Source::Jwks(url) | Source::Issuer(url)) = &source;
        if !allowed_url(url) {
            return Err("a remote key set URL must be https to a host name (http only to loopback)");
        }
        let settings = settings.checked()?;
        Ok(RemoteKeySet { source, settings, held: None, discovered: None, attempted: None, failure: None, flight: None, misses: VecDeque::new() })
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// What to do at `now` for `want`. `can_wait`: whether this host may
    /// await a fetch another verification started.
    pub fn step(&mut self, now: f64, want: Want<'_>, can_wait: bool) -> Step {
        if self.flight.is_some_and(|began| now - began > self.settings.timeout + 1.0) {
            self.flight = None;
        }
        let fresh = self.held.as_ref().filter(|held| now < held.fresh_until).map(|held| Rc::clone(&held.keys));
        let news = match want {
            Want::Keys => false,
            Want::Kid(kid) => !self.missed(kid),
        };
        match (fresh, news, self.flight.is_some()) {
            (Some(keys), false, _) => Step::Ready(keys),
            (_, _, true) if can_wait => Step::Wait,
            (_, _, true) => self.usable(now).map_or_else(|| self.begin(now), Step::Ready),
            (fresh, _, false) if self.cooling(now, fresh.is_some()) => self.fallback(now, want),
            _ => self.begin(now),
        }
    }

    /// Records how the fetch `request` (from [`Step::Fetch`]) ended at
    /// `now`: `Ok` when it brought a usable document (or confirmed the copy),
    /// else why not, for the host's log.
    pub fn settle(&mut self, now: f64, request: &Request, outcome: Outcome<'_>) -> Result<()> {
        let began = self.flight.take().unwrap_or(now);
        let settled = match request.discovery {
            true => self.settle_discovery(now, outcome),
            false => {
                self.attempted = Some(began);
                self.settle_set(now, outcome)
            }
        };
        match &settled {
            Ok(()) if !request.discovery => self.failure = None,
            Ok(()) => {}
            Err(error) => self.failure = Some((now, error.clone())),
        }
        settled
    }

    /// The copy as a shared store keeps it, and until when it is worth
    /// keeping; `None` for no copy or a `no-store` one.
    pub fn shared(&self) -> Option<(String, f64)> {
        let held = self.held.as_ref().filter(|held| held.shareable)?;
        let shared = Shared {
            document: held.document.to_string(),
            fetched: held.fetched,
            fresh_until: held.fresh_until,
            stale_until: held.stale_until,
            etag: held.etag.clone(),
            last_modified: held.last_modified.clone(),
        };
        serde_json::to_string(&shared).ok().map(|text| (text, held.stale_until))
    }

    /// Takes a copy another isolate stored (see [`RemoteKeySet::shared`]) if
    /// it is newer than this one, in place of the fetch under way; whether it did.
    pub fn adopt(&mut self, record: &str) -> bool {
        let Ok(shared) = serde_json::from_str::<Shared>(record) else { return false };
        if self.held.as_ref().is_some_and(|held| held.fetched >= shared.fetched) {
            return false;
        }
        let Ok(keys) = parse_set(&shared.document) else { return false };
        self.held = Some(Held {
            keys: Rc::new(keys),
            document: shared.document.into(),
            fetched: shared.fetched,
            fresh_until: shared.fresh_until,
            stale_until: shared.stale_until,
            etag: shared.etag,
            last_modified: shared.last_modified,
            shareable: true,
        });
        self.flight = None;
        self.misses.clear();
        true
    }

    fn missed(&self, kid: Option<&str>) -> bool {
        kid.is_some_and(|kid| self.misses.iter().any(|missed| missed == kid))
    }

    /// The copy, fresh or within its stale allowance.
    fn usable(&self, now: f64) -> Option<Rc<KeySet>> {
        self.held.as_ref().filter(|held| now < held.stale_until).map(|held| Rc::clone(&held.keys))
    }

    /// Whether a fetch must wait: a failure within the cooldown, or, for a
    /// fresh copy (an unknown `kid`), a fetch within it.
    fn cooling(&self, now: f64, fresh: bool) -> bool {
        let within = |at: f64| now - at < self.settings.cooldown;
        let failed = self.failure.as_ref().is_some_and(|(at, _)| within(*at));
        let last = self.attempted.into_iter().chain(self.held.as_ref().map(|held| held.fetched)).fold(f64::NEG_INFINITY, f64::max);
        failed || (fresh && within(last))
    }

    /// No fetch now: the copy if it may serve, else the last failure.
    fn fallback(&mut self, now: f64, want: Want<'_>) -> Step {
        let Some(keys) = self.usable(now) else {
            let error = self.failure.as_ref().map(|(_, error)| error.clone());
            return Step::Fail(error.unwrap_or(Error::JwksUnavailable("no copy of the remote JWK Set")));
        };
        if let Want::Kid(Some(kid)) = want {
            if keys.get(kid).is_none() && kid.len() <= MAX_KID_LEN && !self.missed(Some(kid)) {
                if self.misses.len() >= MAX_MISSES {
                    self.misses.pop_front();
                }
                self.misses.push_back(kid.to_owned());
            }
        }
        Step::Ready(keys)
    }

    fn begin(&mut self, now: f64) -> Step {
        self.flight = Some(now);
        let set_url = match (&self.source, &self.discovered) {
            (Source::Jwks(url), _) => url.clone(),
            (Source::Issuer(_), Some((uri, fresh_until))) if now < *fresh_until => uri.clone(),
            (Source::Issuer(issuer), _) => {
                return Step::Fetch(Request { url: discovery_url(issuer), if_none_match: None, if_modified_since: None, discovery: true })
            }
        };
        let held = self.held.as_ref();
        Step::Fetch(Request {
            url: set_url,
            if_none_match: held.and_then(|held| held.etag.clone()),
            if_modified_since: held.and_then(|held| held.last_modified.clone()),
            discovery: false,
        })
    }

    fn settle_discovery(&mut self, now: f64, outcome: Outcome<'_>) -> Result<()> {
        let (body, headers) = ok_body(outcome)?;
        let Source::Issuer(issuer) = &self.source else { return Err(Error::JwksUnavailable("no issuer to discover")) };
        let uri = jwks_uri(body, issuer)?;
        let (fresh_until, _) = self.timings(freshness::read(&headers, now), now);
        self.discovered = Some((uri, fresh_until));
        Ok(())
    }

    fn settle_set(&mut self, now: f64, outcome: Outcome<'_>) -> Result<()> {
        if let Outcome::Response { status: 304, headers, .. } = outcome {
            let timings = self.timings(freshness::read(&headers, now), now);
            let held = self.held.as_mut().ok_or(Error::JwksUnavailable("the JWK Set URL answered 304 to no copy"))?;
            (held.fresh_until, held.stale_until, held.fetched) = (timings.0, timings.1, now);
            return Ok(());
        }
        let (body, headers) = ok_body(outcome)?;
        let keys = parse_set(body)?;
        let freshness = freshness::read(&headers, now);
        let (fresh_until, stale_until) = self.timings(freshness, now);
        let validator = |value: Option<&str>| value.filter(|v| !v.is_empty() && v.len() <= 256).map(str::to_owned);
        self.held = Some(Held {
            keys: Rc::new(keys),
            document: body.into(),
            fetched: now,
            fresh_until,
            stale_until,
            etag: validator(headers.etag),
            last_modified: validator(headers.last_modified),
            shareable: freshness.store,
        });
        self.misses.clear();
        Ok(())
    }

    /// Until when a copy received at `now` is fresh, and may serve stale.
    fn timings(&self, freshness: Freshness, now: f64) -> (f64, f64) {
        let settings = &self.settings;
        // Not f64::clamp: its panic message would bring float formatting (20 KiB) into the package's wasm.
        let lifetime = freshness.lifetime.unwrap_or(settings.max_age).max(settings.min_age).min(settings.max_age);
        let stale = freshness.stale_if_error.map_or(settings.max_staleness, |stale| stale.min(settings.max_staleness));
        (now + lifetime, now + lifetime + stale)
    }
}

/// The body of a `200`, or why there is none.
fn ok_body(outcome: Outcome<'_>) -> Result<(&str, Headers<'_>)> {
    match outcome {
        Outcome::Response { status: 200, body, headers } if body.len() <= MAX_DOCUMENT_BYTES => Ok((body, headers)),
        Outcome::Response { status: 200, .. } | Outcome::TooLarge => Err(Error::JwksInvalid("the remote document is larger than 256 KiB")),
        Outcome::Response { status: 300..=399, .. } => Err(Error::JwksUnavailable("the remote JWK Set URL redirects, and redirects are not followed")),
        Outcome::Response { .. } => Err(Error::JwksUnavailable("the remote JWK Set URL answered with an error status")),
        Outcome::Timeout => Err(Error::JwksTimeout),
        Outcome::Unreachable => Err(Error::JwksUnavailable("the remote JWK Set URL cannot be reached")),
    }
}

/// A fetched set: a valid JWK Set with at least one key edgeauth can use.
fn parse_set(document: &str) -> Result<KeySet> {
    let keys = KeySet::from_jwks_str(document).map_err(|error| match error {
        Error::JwkInvalid(why) | Error::NotSupported(why) => Error::JwksInvalid(why),
        other => other,
    })?;
    if keys.iter().any(|key| key.kty() == "oct") {
        // A secret published at a URL lets anyone who reads it sign.
        return Err(Error::JwksInvalid("the remote JWK Set holds a shared secret"));
    }
    match keys.is_empty() {
        true => Err(Error::JwksInvalid("the remote JWK Set has no usable key")),
        false => Ok(keys),
    }
}

/// Whether `token` may cause a fetch: it is a compact JWS of at most the
/// size allowed, its `alg` is one `validation` accepts, and its claimed
/// `iss` (unverified) is one it accepts. Errors as verification would give.
pub fn precheck(token: &str, validation: &Validation) -> Result<()> {
    let decoded = crate::jws::decode(token, validation.max_token_size)?;
    if !validation.algorithms.iter().any(|alg| alg.name() == decoded.header.alg()) {
        return Err(Error::AlgNotAllowed("the token's \"alg\" is not allowed"));
    }
    let Some(issuers) = &validation.issuers else { return Ok(()) };
    // The strict parser the engine already has, not a serde struct: the package's wasm stays smaller.
    let claims = crate::json::parse_object(&decoded.payload).map_err(|_| Error::JwtInvalid("the JWT claims set is not a JSON object"))?;
    match claims.get("iss").and_then(serde_json::Value::as_str).map(str::to_owned) {
        Some(claimed) if issuers.contains(&claimed) => Ok(()),
        Some(_) => Err(Error::claim_failed("iss", ClaimReason::Mismatch)),
        None => Err(Error::claim_failed("iss", ClaimReason::Missing)),
    }
}
