//! JWT providers: whose tokens the gateway accepts, and how each is checked.
//!
//! `JWT_PROVIDERS` is a JSON array. Every entry has a `type`: `self` (this
//! Worker's own signing keys and settings, the default), `hmac` (a shared
//! secret named by `secret_env`), `public_key` (a PEM in `pem` or named by
//! `pem_env`), `jwks` (a static JWK Set), `remote_jwks` (a `url`) or `oidc`
//! (its `issuer`'s discovery document names the set). The others
//! also name `algorithms`, `audiences` (required and non-empty unless
//! `any_audience` is true: an absent list must never mean "any"), and may name
//! a `name`, an `issuer`, `require_exp` and `clock_tolerance`. A provider
//! without `issuer` takes exactly the tokens that carry no `iss`; at most one
//! may omit it. A token goes only to the providers of the issuer it claims.

use super::Backend;
use crate::json::not_null;
use crate::jwt::{Jwt, Validation, Verifier, DEFAULT_CAPACITY};
use crate::remote_jwks::{allowed_url, Settings, Source};
use crate::{Algorithm, Key, KeySet, Result};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// Where a provider's keys come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeysFrom {
    /// Fixed at configuration: a secret, a PEM, a static set.
    Fixed,
    /// This Worker's own signing keys, from its store.
    Own,
    /// A JWK Set fetched from a URL, or from where an issuer's discovery document says.
    Remote(RemoteKeys),
}

/// A remote set and its cache's timings (every provider naming the set gives the same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteKeys {
    pub source: Source,
    pub settings: Settings,
}

/// An entry's `cache`, in seconds; each left out keeps its default.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CacheEntry {
    #[serde(default, deserialize_with = "not_null")]
    timeout: Option<f64>,
    #[serde(default, deserialize_with = "not_null")]
    cooldown: Option<f64>,
    #[serde(default, deserialize_with = "not_null")]
    min_age: Option<f64>,
    #[serde(default, deserialize_with = "not_null")]
    max_age: Option<f64>,
    #[serde(default, deserialize_with = "not_null")]
    max_staleness: Option<f64>,
}

/// A configured provider, ready to verify.
pub struct Provider {
    name: Option<String>,
    issuer: Option<String>,
    keys_from: KeysFrom,
    validation: Validation,
    /// The verifier over the keys last seen: rebuilt only when the host hands
    /// over another key set, so its memory of verified tokens survives.
    verifier: RefCell<Option<Rc<Verifier<Rc<KeySet>>>>>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider").field("name", &self.name).field("issuer", &self.issuer).field("keys_from", &self.keys_from).finish_non_exhaustive()
    }
}

/// What this Worker's own tokens must satisfy (its `self` provider).
pub struct OwnSettings<'a> {
    pub issuer: &'a str,
    pub audiences: &'a [String],
    pub algorithm: Algorithm,
}

impl Provider {
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The provider's name, else its issuer, else `no-issuer`: how the
    /// origin is told who vouched for a caller.
    pub fn label(&self) -> &str {
        self.name.as_deref().or(self.issuer.as_deref()).unwrap_or("no-issuer")
    }

    pub fn keys_from(&self) -> &KeysFrom {
        &self.keys_from
    }

    /// Whether this provider checks tokens that claim `issuer` (`None`: no `iss`).
    pub fn serves(&self, issuer: Option<&str>) -> bool {
        self.issuer.as_deref() == issuer
    }

    /// Verifies `token` with `keys` (for [`KeysFrom::Fixed`], the keys given
    /// at configuration are used and `keys` is ignored).
    pub fn verify(&self, token: &str, keys: Option<Rc<KeySet>>, now: f64) -> Result<Arc<Jwt>> {
        self.verifier_over(keys).verify_at(token, now)
    }

    fn verifier_over(&self, keys: Option<Rc<KeySet>>) -> Rc<Verifier<Rc<KeySet>>> {
        let mut slot = self.verifier.borrow_mut();
        match (slot.as_ref(), keys) {
            (Some(current), Some(keys)) if !Rc::ptr_eq(current.keys(), &keys) => {
                let fresh = Rc::new(Verifier::new(keys, self.validation.clone(), DEFAULT_CAPACITY));
                *slot = Some(Rc::clone(&fresh));
                fresh
            }
            (Some(current), _) => Rc::clone(current),
            (None, keys) => {
                let fresh = Rc::new(Verifier::new(keys.unwrap_or_default(), self.validation.clone(), DEFAULT_CAPACITY));
                *slot = Some(Rc::clone(&fresh));
                fresh
            }
        }
    }

    fn new(name: Option<String>, issuer: Option<String>, keys_from: KeysFrom, validation: Validation, keys: Option<KeySet>) -> Provider {
        let verifier = keys.map(|keys| Rc::new(Verifier::new(Rc::new(keys), validation.clone(), DEFAULT_CAPACITY)));
        Provider { name, issuer, keys_from, validation, verifier: RefCell::new(verifier) }
    }
}

/// One entry of `JWT_PROVIDERS`, as written. A member set to `null` is
/// refused (`not_null`): `"issuer": null` must not make a provider for tokens
/// without `iss`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, deserialize_with = "not_null")]
    name: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    issuer: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    audiences: Option<Vec<String>>,
    #[serde(default)]
    any_audience: bool,
    #[serde(default, deserialize_with = "not_null")]
    algorithms: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    require_exp: Option<bool>,
    #[serde(default, deserialize_with = "not_null")]
    clock_tolerance: Option<u64>,
    #[serde(default, deserialize_with = "not_null")]
    jwks: Option<Map<String, Value>>,
    #[serde(default, deserialize_with = "not_null")]
    secret_env: Option<String>,
    #[serde(default)]
    allow_short_secret: bool,
    #[serde(default, deserialize_with = "not_null")]
    pem: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pem_env: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    url: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    cache: Option<CacheEntry>,
}

/// The providers of `json` (absent: only `self`). `lookup` reads the
/// settings that `secret_env` and `pem_env` name.
pub fn parse(json: Option<&str>, own: &OwnSettings<'_>, lookup: &dyn Fn(&str) -> Option<String>) -> std::result::Result<Vec<Provider>, String> {
    let entries: Vec<Entry> = match json {
        None => return Ok(vec![own_provider(None, own)]),
        Some(json) => serde_json::from_str(json).map_err(|e| format!("is not a valid provider list: {e}"))?,
    };
    let providers = entries.into_iter().map(|entry| build(entry, own, lookup)).collect::<std::result::Result<Vec<_>, _>>()?;
    check_names_and_issuers(&providers)?;
    Ok(providers)
}

fn check_names_and_issuers(providers: &[Provider]) -> std::result::Result<(), String> {
    if providers.iter().filter(|p| p.issuer.is_none()).count() > 1 {
        return Err("has more than one provider without an issuer".into());
    }
    let names: Vec<&str> = providers.iter().filter_map(Provider::name).collect();
    if names.iter().enumerate().any(|(i, name)| names.iter().skip(i + 1).any(|other| other == name)) {
        return Err("names two providers alike".into());
    }
    let remotes: Vec<&RemoteKeys> = providers.iter().filter_map(|p| match &p.keys_from { KeysFrom::Remote(r) => Some(r), _ => None }).collect();
    match remotes.iter().enumerate().any(|(i, a)| remotes.iter().skip(i + 1).any(|b| a.source == b.source && a.settings != b.settings)) {
        true => Err("gives one remote key set two different cache settings".into()),
        false => Ok(()),
    }
}

fn own_provider(name: Option<String>, own: &OwnSettings<'_>) -> Provider {
    let validation = Validation { issuers: Some(vec![own.issuer.to_owned()]), audiences: Some(own.audiences.to_vec()), ..Validation::new(&[own.algorithm]) };
    Provider::new(name, Some(own.issuer.to_owned()), KeysFrom::Own, validation, None)
}

fn build(entry: Entry, own: &OwnSettings<'_>, lookup: &dyn Fn(&str) -> Option<String>) -> std::result::Result<Provider, String> {
    let kind = entry.kind.clone();
    let allowed: &[&str] = match kind.as_str() {
        "self" => &[],
        "hmac" => &["secret_env", "allow_short_secret"],
        "public_key" => &["pem", "pem_env"],
        "jwks" => &["jwks"],
        "remote_jwks" => &["url", "cache"],
        "oidc" => &["cache"],
        other => return Err(format!("has a provider of unknown type \"{other}\"")),
    };
    if let Some(stray) = key_fields(&entry).into_iter().find(|field| !allowed.contains(field)) {
        return Err(format!("sets \"{stray}\" on a provider of type \"{kind}\""));
    }
    if kind == "self" {
        return match own_fields_set(&entry) {
            true => Err("sets checks on the \"self\" provider, which uses ISSUER and ALLOWED_AUDIENCES".into()),
            false => Ok(own_provider(entry.name, own)),
        };
    }
    let validation = validation(&entry)?;
    let remote_kind = kind == "oidc" || kind == "remote_jwks";
    if remote_kind && validation.algorithms.iter().any(|alg| alg.name().starts_with("HS")) {
        return Err(format!("lists an HMAC algorithm for a {kind} provider: a secret is never fetched from a URL"));
    }
    let (keys_from, keys) = match kind.as_str() {
        "hmac" => (KeysFrom::Fixed, Some(hmac_keys(&entry, &validation.algorithms, lookup)?)),
        "public_key" => (KeysFrom::Fixed, Some(pem_keys(&entry, &validation.algorithms, lookup)?)),
        "jwks" => (KeysFrom::Fixed, Some(static_keys(&entry)?)),
        "oidc" => (remote(Source::Issuer(oidc_issuer(entry.issuer.as_deref())?), entry.cache.as_ref())?, None),
        _ => (remote(Source::Jwks(remote_url(entry.url.as_deref())?), entry.cache.as_ref())?, None),
    };
    Ok(Provider::new(entry.name, entry.issuer, keys_from, validation, keys))
}

/// The key-source fields an entry sets, by name.
fn key_fields(entry: &Entry) -> Vec<&'static str> {
    let set = [
        ("jwks", entry.jwks.is_some()),
        ("secret_env", entry.secret_env.is_some()),
        ("allow_short_secret", entry.allow_short_secret),
        ("pem", entry.pem.is_some()),
        ("pem_env", entry.pem_env.is_some()),
        ("url", entry.url.is_some()),
        ("cache", entry.cache.is_some()),
    ];
    set.into_iter().filter(|(_, present)| *present).map(|(name, _)| name).collect()
}

fn own_fields_set(entry: &Entry) -> bool {
    entry.issuer.is_some() || entry.audiences.is_some() || entry.any_audience || entry.algorithms.is_some() || entry.require_exp.is_some() || entry.clock_tolerance.is_some()
}

fn validation(entry: &Entry) -> std::result::Result<Validation, String> {
    let algorithms = entry
        .algorithms
        .iter()
        .flatten()
        .map(|name| Algorithm::from_name(name).ok_or_else(|| format!("lists an unknown algorithm {name}")))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    if algorithms.is_empty() {
        return Err("lists no algorithm for a provider".into());
    }
    let audiences = match (&entry.audiences, entry.any_audience) {
        (Some(audiences), false) if !audiences.is_empty() => Some(audiences.clone()),
        (None, true) => None,
        (Some(_), true) => return Err("sets both audiences and any_audience on a provider".into()),
        _ => return Err("has a provider without audiences (list them, or set \"any_audience\": true)".into()),
    };
    if entry.issuer.as_deref().is_some_and(str::is_empty) {
        return Err("has a provider with an empty issuer (omit it for tokens without iss)".into());
    }
    Ok(Validation {
        issuers: entry.issuer.clone().map(|issuer| vec![issuer]),
        audiences,
        clock_tolerance: entry.clock_tolerance.unwrap_or(0),
        require_exp: entry.require_exp.unwrap_or(true),
        ..Validation::new(&algorithms)
    })
}

/// One key per algorithm, each bound to it, so a token's `alg` finds exactly one.
fn keys_per_algorithm(algorithms: &[Algorithm], make: impl Fn(Algorithm) -> Result<Key>) -> std::result::Result<KeySet, String> {
    let mut keys = KeySet::new();
    for &alg in algorithms {
        keys.add(make(alg).map_err(|e| format!("has an unusable key for {}: {e}", alg.name()))?);
    }
    Ok(keys)
}

fn hmac_keys(entry: &Entry, algorithms: &[Algorithm], lookup: &dyn Fn(&str) -> Option<String>) -> std::result::Result<KeySet, String> {
    let name = entry.secret_env.as_deref().unwrap_or("GATEWAY_HMAC_SECRET");
    let secret = lookup(name).filter(|s| !s.is_empty()).ok_or_else(|| format!("names an hmac provider but {name} is not set"))?;
    let short = entry.allow_short_secret;
    keys_per_algorithm(algorithms, |alg| match short {
        true => Key::from_short_secret(secret.as_bytes(), alg, None),
        false => Key::from_secret(secret.as_bytes(), alg, None),
    })
}

fn pem_keys(entry: &Entry, algorithms: &[Algorithm], lookup: &dyn Fn(&str) -> Option<String>) -> std::result::Result<KeySet, String> {
    let pem = match (&entry.pem, &entry.pem_env) {
        (Some(pem), None) => pem.clone(),
        (None, Some(name)) => lookup(name).ok_or_else(|| format!("names a public_key provider but {name} is not set"))?,
        _ => return Err("has a public_key provider without exactly one of pem and pem_env".into()),
    };
    let keys = keys_per_algorithm(algorithms, |alg| Key::from_pem(&pem, alg, None))?;
    let private = keys.iter().any(Key::is_private);
    match private {
        true => Err("has a public_key provider given a private key: configure the public key only".into()),
        false => Ok(keys),
    }
}

fn static_keys(entry: &Entry) -> std::result::Result<KeySet, String> {
    let jwks = entry.jwks.as_ref().ok_or("has a jwks provider without \"jwks\"")?;
    let keys = KeySet::from_jwks(jwks).map_err(|e| format!("has an invalid JWK Set: {e}"))?;
    match keys.is_empty() {
        true => Err("has a jwks provider with no usable key".into()),
        false => Ok(keys),
    }
}

/// A remote JWK Set comes over https; plain http only from this machine
/// (local identity providers in development and tests).
fn remote_url(url: Option<&str>) -> std::result::Result<String, String> {
    let url = url.ok_or("has a remote_jwks provider without \"url\"")?;
    match allowed_url(url) {
        true => Ok(url.to_owned()),
        false => Err(format!("has a remote JWKS URL that is not https to a host name: {url}")),
    }
}

fn remote(source: Source, cache: Option<&CacheEntry>) -> std::result::Result<KeysFrom, String> {
    let defaults = Settings::default();
    let settings = match cache {
        None => defaults,
        Some(cache) => Settings {
            timeout: cache.timeout.unwrap_or(defaults.timeout),
            cooldown: cache.cooldown.unwrap_or(defaults.cooldown),
            min_age: cache.min_age.unwrap_or(defaults.min_age),
            max_age: cache.max_age.unwrap_or(defaults.max_age),
            max_staleness: cache.max_staleness.unwrap_or(defaults.max_staleness),
        },
    };
    let settings = settings.checked().map_err(|why| format!("has a provider whose cache is refused: {why}"))?;
    Ok(KeysFrom::Remote(RemoteKeys { source, settings }))
}

/// An `oidc` provider's issuer is where its discovery document is read, so
/// the same rule holds for it.
fn oidc_issuer(issuer: Option<&str>) -> std::result::Result<String, String> {
    let issuer = issuer.ok_or("has an oidc provider without \"issuer\"")?;
    match allowed_url(issuer) {
        true => Ok(issuer.to_owned()),
        false => Err(format!("has an oidc issuer that is not https to a host name: {issuer}")),
    }
}

/// Verifies with `keys`; when a remote set has no key for the token's
/// `kid`, once more with the set the host then gives (refetched, if its
/// cache allows). The token's shape and `alg` were checked by then, and its
/// `iss` chose this provider.
pub(super) async fn verify_refetching<B: Backend>(provider: &Provider, token: &str, keys: Option<Rc<KeySet>>, backend: &B, now: f64) -> Result<Arc<Jwt>> {
    let first = provider.verify(token, keys.clone(), now);
    let (Err(crate::Error::JwksNoMatchingKey), Some(keys)) = (&first, keys) else { return first };
    let header = crate::jws::decode(token, crate::jws::DEFAULT_MAX_TOKEN_SIZE)?.header;
    let refetched = backend.key_set_lacking(&provider.keys_from, header.kid(), now).await?;
    match Rc::ptr_eq(&refetched, &keys) {
        true => first,
        false => provider.verify(token, Some(refetched), now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own() -> OwnSettings<'static> {
        OwnSettings { issuer: "https://self", audiences: &[], algorithm: Algorithm::ES256 }
    }

    fn lookup(name: &str) -> Option<String> {
        match name {
            "LONG" | "GATEWAY_HMAC_SECRET" => Some("s".repeat(32)),
            "SHORT" => Some("twenty-chars-secret!".into()),
            "TINY" => Some("seven77".into()),
            _ => None,
        }
    }

    fn parsed(json: &str) -> std::result::Result<Vec<Provider>, String> {
        parse(Some(json), &own(), &lookup)
    }

    #[test]
    fn defaults_to_own_keys() {
        let providers = parse(None, &own(), &lookup).unwrap();
        assert!(matches!(providers.as_slice(), [p] if p.keys_from == KeysFrom::Own && p.serves(Some("https://self"))));
    }

    #[test]
    fn hmac_secrets_are_named_and_short_ones_need_opting_in() {
        let hmac = |env: &str, short: bool| format!(r#"[{{"type":"hmac","secret_env":"{env}","allow_short_secret":{short},"any_audience":true,"algorithms":["HS256"]}}]"#);
        assert!(parsed(&hmac("LONG", false)).is_ok());
        assert!(parsed(&hmac("SHORT", false)).unwrap_err().contains("shorter than the hash output"));
        assert!(parsed(&hmac("SHORT", true)).is_ok());
        assert!(parsed(&hmac("TINY", true)).unwrap_err().contains("8 bytes"));
        assert!(parsed(&hmac("MISSING", true)).unwrap_err().contains("MISSING is not set"));
    }

    #[test]
    fn audiences_are_required_unless_any_audience_is_said() {
        let entry = |extra: &str| format!(r#"[{{"type":"hmac","issuer":"i","algorithms":["HS256"]{extra}}}]"#);
        assert!(parsed(&entry("")).unwrap_err().contains("without audiences"));
        assert!(parsed(&entry(r#","audiences":[]"#)).unwrap_err().contains("without audiences"));
        assert!(parsed(&entry(r#","audiences":["a"],"any_audience":true"#)).is_err());
        assert!(parsed(&entry(r#","audiences":["a"]"#)).is_ok());
        assert!(parsed(&entry(r#","any_audience":true"#)).is_ok());
    }

    #[test]
    fn issuers_route_tokens_and_only_one_provider_may_omit_it() {
        let providers = parsed(r#"[{"type":"self","name":"me"},{"type":"hmac","name":"cloudmon","any_audience":true,"algorithms":["HS256"]}]"#).unwrap();
        assert!(providers[1].serves(None) && !providers[1].serves(Some("x")) && !providers[0].serves(None));
        let two = r#"[{"type":"hmac","any_audience":true,"algorithms":["HS256"]},{"type":"hmac","any_audience":true,"algorithms":["HS256"],"secret_env":"LONG"}]"#;
        assert!(parsed(two).unwrap_err().contains("more than one provider without an issuer"));
        assert!(parsed(r#"[{"type":"self","name":"a"},{"type":"self","name":"a"}]"#).unwrap_err().contains("alike"));
    }

    #[test]
    fn refuses_bad_lists() {
        for bad in [
            r#"[{"type": "magic"}]"#,
            r#"[{"type": "hmac", "issuer": "i", "any_audience": true, "algorithms": []}]"#,
            r#"[{"type": "hmac", "issuer": "i", "any_audience": true}]"#,
            r#"[{"type": "hmac", "issuer": "i", "any_audience": true, "algorithms": ["HS256"], "url": "https://x"}]"#,
            r#"[{"type": "hmac", "issuer": "i", "any_audience": true, "algorithms": ["HS256"], "audience": "typo"}]"#,
            r#"[{"type": "self", "issuer": "other"}]"#,
            r#"[{"type": "remote_jwks", "url": "http://evil", "issuer": "i", "any_audience": true, "algorithms": ["RS256"]}]"#,
            r#"[{"type": "jwks", "jwks": {"keys": []}, "issuer": "i", "any_audience": true, "algorithms": ["RS256"]}]"#,
            r#"[{"type": "public_key", "issuer": "i", "any_audience": true, "algorithms": ["RS256"]}]"#,
            r#"[{"type": "public_key", "pem_env": "MISSING", "issuer": "i", "any_audience": true, "algorithms": ["RS256"]}]"#,
            r#"[{"type": "hmac", "issuer": "", "any_audience": true, "algorithms": ["HS256"]}]"#,
            r#"[{"type": "hmac", "issuer": null, "any_audience": true, "algorithms": ["HS256"]}]"#,
            r#"[{"type": "hmac", "issuer": "i", "any_audience": true, "algorithms": ["HS256"], "secret_env": null}]"#,
            r#"[{"type": "hmac", "issuer": "i", "any_audience": true, "algorithms": ["HS256"], "require_exp": null}]"#,
        ] {
            assert!(parsed(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_remote_provider_never_takes_an_hmac_algorithm() {
        let remote = r#"[{"type":"remote_jwks","url":"https://idp/jwks","issuer":"i","audiences":["a"],"algorithms":["RS256","HS256"]}]"#;
        assert!(parsed(remote).unwrap_err().contains("HMAC"));
    }

    #[test]
    fn remote_sets_come_over_https_or_from_this_machine() {
        assert!(remote_url(Some("https://idp.example/jwks")).is_ok());
        assert!(remote_url(Some("http://idp.example/jwks")).unwrap_err().contains("not https"));
        assert!(remote_url(None).is_err());
    }

    #[test]
    fn oidc_providers_name_an_https_issuer_and_nothing_else() {
        let entry = |extra: &str| format!(r#"[{{"type":"oidc","audiences":["a"],"algorithms":["RS256"]{extra}}}]"#);
        let providers = parsed(&entry(r#","issuer":"https://idp.example""#)).unwrap();
        assert!(matches!(&providers[0].keys_from, KeysFrom::Remote(r) if r.source == Source::Issuer("https://idp.example".into())));
        assert!(parsed(&entry("")).unwrap_err().contains("without \"issuer\""));
        assert!(parsed(&entry(r#","issuer":"http://idp.example""#)).unwrap_err().contains("not https"));
        assert!(parsed(&entry(r#","issuer":"https://idp.example","url":"https://idp.example/jwks""#)).unwrap_err().contains("\"url\""));
    }

    #[test]
    fn remote_caches_are_checked_and_agree_per_set() {
        let entry = |name: &str, cache: &str| format!(r#"{{"type":"remote_jwks","name":"{name}","url":"https://idp/jwks","issuer":"i","any_audience":true,"algorithms":["ES256"],"cache":{cache}}}"#);
        let one = parsed(&format!("[{}]", entry("a", r#"{"max_age": 30, "min_age": 1, "cooldown": 0.5}"#))).unwrap();
        assert!(matches!(&one[0].keys_from, KeysFrom::Remote(r) if r.settings.max_age == 30.0 && r.settings.timeout == 5.0));
        assert!(parsed(&format!("[{}]", entry("a", r#"{"min_age": 700}"#))).unwrap_err().contains("cache is refused"));
        assert!(parsed(&format!("[{}]", entry("a", r#"{"max_ages": 1}"#))).is_err());
        assert!(parsed(&format!("[{}]", entry("a", r#"{"timeout": -1}"#))).is_err());
        assert!(parsed(&format!("[{},{}]", entry("a", "{}"), entry("b", "{}"))).is_ok());
        assert!(parsed(&format!("[{},{}]", entry("a", "{}"), entry("b", r#"{"cooldown": 1}"#))).unwrap_err().contains("two different cache"));
        assert!(parsed(r#"[{"type":"hmac","issuer":"i","any_audience":true,"algorithms":["HS256"],"cache":{}}]"#).unwrap_err().contains("\"cache\""));
    }

    #[test]
    fn a_verifier_is_rebuilt_only_for_another_key_set() {
        let providers = parsed(r#"[{"type":"remote_jwks","url":"https://idp/jwks","issuer":"i","audiences":["a"],"algorithms":["ES256"]}]"#).unwrap();
        let keys = Rc::new(KeySet::new());
        let first = providers[0].verifier_over(Some(Rc::clone(&keys)));
        assert!(Rc::ptr_eq(&first, &providers[0].verifier_over(Some(Rc::clone(&keys)))));
        assert!(!Rc::ptr_eq(&first, &providers[0].verifier_over(Some(Rc::new(KeySet::new())))));
    }
}
