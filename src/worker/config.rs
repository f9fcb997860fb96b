//! The Worker's configuration: `[vars]` and secrets, parsed once per isolate.
//!
//! Anything malformed is a [`ConfigError`]; the Worker then answers every
//! request with `500 config_invalid` naming only the setting (the detail, which
//! can quote user names, URLs or policy text, goes to the log) rather than run
//! half configured. No default ever stands in for a missing secret.

use crate::apikey::ApiKeyFormat;
use crate::at_rest::Kek;
use crate::authn::{self, Gate, OwnSettings, ServiceToken, Sessions};
use crate::session::{LoginLimit, DEFAULT_COOKIE_NAME};
use super::accounts::{Accounts, BINDING as ACCOUNTS_BINDING};
use crate::b64;
use crate::http_auth::{ServiceTokenSource, DEFAULT_SERVICE_TOKEN_HEADER};
use crate::policy::{Kind, Policy};
use crate::secret_hash::check_stored_hash;
use std::collections::BTreeMap;
use crate::signing_keys::{self, SIGNING_ALGORITHMS};
use crate::Algorithm;
use std::fmt;
use worker::Env;

/// Where the gateway sends a request that passed its checks.
#[derive(Debug)]
pub(crate) enum Origin {
    /// `ORIGIN_URL`: an http(s) base URL the request's path is appended to.
    Url(String),
    /// `ECHO_ORIGIN=true`, development only: the built-in origin that answers
    /// with the identity it received.
    Echo,
}

/// A setting that is missing or malformed: which one, and why (for the log only).
#[derive(Debug, Clone)]
pub(crate) struct ConfigError {
    pub setting: String,
    pub detail: String,
}

impl ConfigError {
    /// What a client may be told: the setting's name, nothing of its value.
    pub(crate) fn public_message(&self) -> String {
        format!("the setting {} is missing or invalid", self.setting)
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.setting, self.detail)
    }
}

pub(crate) struct Config {
    pub issuer: String,
    pub audiences: Vec<String>,
    pub token_lifetime: u64,
    pub signing_alg: Algorithm,
    pub key_overlap: u64,
    pub jwks_max_age: u64,
    /// `KEY_PROPAGATION_SECONDS` (90): how long a change to the signing keys
    /// takes to reach every isolate (KV's minute, the index cache's 30 s); a
    /// scheduled rotation's next key is published this much longer than the
    /// JWKS is cached before it signs.
    pub key_propagation: u64,
    pub bootstrap_dev_key: bool,
    /// `SIGNING_JWK`: a private JWK that becomes current when KV holds no current key.
    pub signing_jwk: Option<crate::Key>,
    /// `SIGNING_RSA_BITS`: the modulus size of generated RSA keys (2048).
    pub rsa_bits: u32,
    /// `ROTATE_AFTER_DAYS`, in seconds: the cron trigger rotates a key that
    /// has been current this long; `None` (the default): never.
    pub rotate_after: Option<u64>,
    pub kek: Kek,
    /// SHA-256 of the admin bearer token (a 256-bit random secret).
    pub admin_token_sha256: Vec<u8>,
    pub policy: Policy,
    /// The API keys this Worker issues and accepts (`API_KEY_PREFIX`, default `eak`).
    pub api_key_format: ApiKeyFormat,
    /// Where authenticated gateway requests go; `None` only with an empty policy.
    pub origin: Option<Origin>,
    /// Where the admin API is served (`ADMIN_PATH_PREFIX`, default `/admin/`).
    pub admin_prefix: String,
    /// Where the Worker answers its own health check (`HEALTH_PATH`, default
    /// `/health`), so that an origin's `/health` can be fronted.
    pub health_path: String,
    /// How long a dashboard session lasts (`SESSION_LIFETIME_SECONDS`, 12 h).
    pub session_lifetime: u64,
    /// Failed logins allowed per user and client (`LOGIN_LIMIT`, `5/30`: 5 per 30 s).
    pub login_limit: LoginLimit,
    /// `OPEN_SIGNUP=true`: the first admin may sign up without the admin
    /// token, as Kure does (whoever comes first while no user exists).
    pub open_signup: bool,
    /// `FORWARD_IDENTITY_JWT=true`: the origin also gets the identity as a
    /// JWT signed with this Worker's current key (`X-Auth-Token`).
    pub forward_identity_jwt: bool,
    /// `EXACT_REVOCATION` (default `true`): API keys are checked against
    /// their Durable Object on every use, which `KEY_STATUS` must then bind.
    pub exact_revocation: bool,
}

impl Config {
    pub(crate) fn from_env(env: &Env) -> Result<Config, ConfigError> {
        let text = |name: &str| setting(env, name);
        let required = |name: &str| text(name).filter(|v| !v.trim().is_empty()).ok_or_else(|| missing(name));
        let fold_case = text("GATEWAY_CASE_INSENSITIVE").as_deref() == Some("true");
        let policy = Policy::parse_with(text("GATEWAY_POLICY").as_deref().unwrap_or("[]"), fold_case)
            .map_err(|why| invalid("GATEWAY_POLICY", &why))?;
        let admin_prefix = admin_prefix(text("ADMIN_PATH_PREFIX"))?;
        let health_path = health_path(text("HEALTH_PATH"))?;
        check_own_routes(&policy, &admin_prefix, &health_path)?;
        let signing_alg = signing_alg(text("SIGNING_ALG"))?;
        let bootstrap_dev_key = text("BOOTSTRAP_DEV_SIGNING_KEY").as_deref() == Some("true");
        Ok(Config {
            issuer: required("ISSUER")?,
            audiences: audiences(&required("ALLOWED_AUDIENCES")?)?,
            token_lifetime: token_lifetime(text("TOKEN_LIFETIME_SECONDS"))?,
            signing_alg,
            key_overlap: number(text("KEY_OVERLAP_SECONDS"), "KEY_OVERLAP_SECONDS", 3600)?,
            jwks_max_age: at_most_a_day(text("JWKS_MAX_AGE_SECONDS"), "JWKS_MAX_AGE_SECONDS", 300)?,
            key_propagation: at_most_a_day(text("KEY_PROPAGATION_SECONDS"), "KEY_PROPAGATION_SECONDS", 90)?,
            bootstrap_dev_key,
            signing_jwk: signing_jwk(text("SIGNING_JWK"), signing_alg)?,
            rsa_bits: rsa_bits(text("SIGNING_RSA_BITS"))?,
            rotate_after: rotate_after(text("ROTATE_AFTER_DAYS"))?,
            kek: Kek::from_base64url(&required("KEY_ENCRYPTION_KEY")?)
                .map_err(|_| invalid("KEY_ENCRYPTION_KEY", "must be 32 bytes in base64url"))?,
            admin_token_sha256: hex(&required("ADMIN_TOKEN_HASH")?)
                .ok_or_else(|| invalid("ADMIN_TOKEN_HASH", "must be a SHA-256 in hex"))?,
            api_key_format: match text("API_KEY_PREFIX") {
                None => ApiKeyFormat::default(),
                Some(prefix) => ApiKeyFormat::new(prefix.trim())
                    .map_err(|_| invalid("API_KEY_PREFIX", "must be a lowercase letter then lowercase letters or digits"))?,
            },
            origin: origin(text("ORIGIN_URL"), text("ECHO_ORIGIN").as_deref() == Some("true"), &policy)?,
            admin_prefix,
            health_path,
            session_lifetime: session_lifetime(text("SESSION_LIFETIME_SECONDS"))?,
            open_signup: text("OPEN_SIGNUP").as_deref() == Some("true"),
            login_limit: limit(text("LOGIN_LIMIT"), "LOGIN_LIMIT")?.unwrap_or_default(),
            forward_identity_jwt: text("FORWARD_IDENTITY_JWT").as_deref() == Some("true"),
            exact_revocation: match text("EXACT_REVOCATION").as_deref().map(str::trim) {
                None | Some("true") => true,
                Some("false") => false,
                Some(_) => return Err(invalid("EXACT_REVOCATION", "must be true or false")),
            },
            policy,
        })
    }
}

/// A var or a secret, by name.
fn setting(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string()).or_else(|| env.secret(name).ok().map(|s| s.to_string()))
}

fn missing(name: &str) -> ConfigError {
    ConfigError { setting: name.to_owned(), detail: "is not set".to_owned() }
}

fn invalid(name: &str, why: &str) -> ConfigError {
    ConfigError { setting: name.to_owned(), detail: why.to_owned() }
}

/// The gateway's credential checks: providers, key sets, the service token
/// and Basic users, each cross-checked against what the policy names.
pub(crate) fn gate(env: &Env, config: &Config, has_accounts: bool) -> Result<Gate, ConfigError> {
    let lookup = |name: &str| setting(env, name);
    let own = OwnSettings { issuer: &config.issuer, audiences: &config.audiences, algorithm: config.signing_alg };
    let providers = authn::parse_providers(lookup("JWT_PROVIDERS").as_deref(), &own, &lookup).map_err(|why| invalid("JWT_PROVIDERS", &why))?;
    let key_sets = authn::parse_key_sets(lookup("GATEWAY_KEYS").as_deref(), &lookup).map_err(|why| invalid("GATEWAY_KEYS", &why))?;
    let header = lookup("SERVICE_TOKEN_HEADER");
    let source = ServiceTokenSource::new(header.as_deref().unwrap_or(DEFAULT_SERVICE_TOKEN_HEADER), true)
        .map_err(|_| invalid("SERVICE_TOKEN_HEADER", "must be an HTTP header name"))?;
    let service_token = service_token_hash(lookup("SERVICE_TOKEN_HASH"), &config.policy)?.map(|hash| ServiceToken { source, hash });
    let basic = basic_users(lookup("BASIC_USERS"), &config.policy)?;
    let api_key_header = lookup("API_KEY_HEADER").unwrap_or_else(|| "X-API-Key".to_owned());
    if ServiceTokenSource::new(&api_key_header, false).is_err() {
        return Err(invalid("API_KEY_HEADER", "must be an HTTP header name"));
    }
    let gate = Gate::new(providers, key_sets, service_token, basic, &api_key_header);
    let gate = match sessions(&lookup, &config.policy)? {
        Some(_) if !has_accounts => return Err(invalid(ACCOUNTS_BINDING, "(a Durable Object binding) is missing, and SESSION_SECRET turns sessions on")),
        Some(sessions) => {
            check_shadows(&config.policy, [super::auth_api::AUTH_PREFIX, super::auth_api::USERS_PATH])?;
            gate.with_sessions(sessions)
        }
        None => gate,
    };
    let gate = match (has_accounts, failure_limit(lookup("GATEWAY_FAILURE_LIMIT"))?) {
        (true, Some(limit)) => gate.with_failure_limit(limit),
        _ => gate,
    };
    check_policy_names(&config.policy, &gate)?;
    Ok(gate)
}

/// Dashboard sessions: on when `SESSION_SECRET` is set (at least 32 bytes),
/// required once a route accepts them.
fn sessions(lookup: &dyn Fn(&str) -> Option<String>, policy: &Policy) -> Result<Option<Sessions>, ConfigError> {
    let Some(secret) = lookup("SESSION_SECRET").filter(|s| !s.is_empty()) else {
        return match policy.accepts(&Kind::Session) {
            true => Err(missing("SESSION_SECRET")),
            false => Ok(None),
        };
    };
    if secret.len() < 32 {
        return Err(invalid("SESSION_SECRET", "must be at least 32 bytes (48 random characters, as Kure's chart makes)"));
    }
    let cookie_name = lookup("SESSION_COOKIE_NAME").unwrap_or_else(|| DEFAULT_COOKIE_NAME.to_owned());
    if ServiceTokenSource::new(&cookie_name, false).is_err() {
        return Err(invalid("SESSION_COOKIE_NAME", "must be a cookie name"));
    }
    Ok(Some(Sessions { cookie_name, secret: secret.into_bytes() }))
}

/// The accounts Durable Object, where `wrangler.toml` binds it.
pub(crate) fn accounts(env: &Env) -> Result<Option<Accounts>, ConfigError> {
    Ok(env.durable_object(ACCOUNTS_BINDING).ok().map(Accounts))
}

/// `GATEWAY_FAILURE_LIMIT`: failed Basic and service-token checks per
/// client, `10/60` by default, `off` for none.
fn failure_limit(text: Option<String>) -> Result<Option<LoginLimit>, ConfigError> {
    match text.as_deref().map(str::trim) {
        Some("off") => Ok(None),
        None => Ok(Some(LoginLimit { max_failures: 10, window: 60.0 })),
        Some(_) => limit(text, "GATEWAY_FAILURE_LIMIT"),
    }
}

/// Every key set and provider the policy names exists.
fn check_policy_names(policy: &Policy, gate: &Gate) -> Result<(), ConfigError> {
    for kind in policy.kinds() {
        if let Kind::Key(name) = kind {
            if !gate.has_key_set(name) {
                return Err(invalid("GATEWAY_POLICY", &format!("names the key set \"{name}\", which GATEWAY_KEYS does not define")));
            }
        }
    }
    let mut names = gate.provider_names();
    if let Some(unknown) = policy.provider_names().find(|name| !names.any(|known| known == *name)) {
        return Err(invalid("GATEWAY_POLICY", &format!("names the provider \"{unknown}\", which JWT_PROVIDERS does not define")));
    }
    Ok(())
}

/// `SESSION_LIFETIME_SECONDS`: 12 h by default, at most 30 days.
fn session_lifetime(text: Option<String>) -> Result<u64, ConfigError> {
    match number(text, "SESSION_LIFETIME_SECONDS", 12 * 3600)? {
        seconds @ 1..=2_592_000 => Ok(seconds),
        _ => Err(invalid("SESSION_LIFETIME_SECONDS", "must be from 1 to 2592000 (30 days)")),
    }
}

/// A limit written `<failures>/<seconds>`, both at least 1; `None` when unset.
fn limit(text: Option<String>, name: &str) -> Result<Option<LoginLimit>, ConfigError> {
    let Some(text) = text else { return Ok(None) };
    let parsed = text.trim().split_once('/').and_then(|(n, s)| Some((n.trim().parse::<usize>().ok()?, s.trim().parse::<u32>().ok()?)));
    match parsed {
        Some((max_failures, window)) if max_failures >= 1 && window >= 1 => Ok(Some(LoginLimit { max_failures, window: f64::from(window) })),
        _ => Err(invalid(name, "must be <failures>/<seconds>, both whole numbers of at least 1, like 5/30")),
    }
}

/// The default of `HEALTH_PATH`.
pub(crate) const DEFAULT_HEALTH_PATH: &str = "/health";

/// Where the Worker's own routes are, besides the admin API and the health check.
const OWN_ROUTES: [&str; 2] = ["/v0/token/", "/.well-known/jwks.json"];

/// `/admin/` by default; always starts and ends with `/`, is not `/`, and
/// neither holds nor lies under another of the Worker's own routes.
fn admin_prefix(text: Option<String>) -> Result<String, ConfigError> {
    let prefix = text.map(|t| t.trim().to_owned()).unwrap_or_else(|| "/admin/".to_owned());
    let inner = prefix.strip_prefix('/').and_then(|p| p.strip_suffix('/'));
    let clashes = OWN_ROUTES.iter().any(|own| own.starts_with(&prefix) || prefix.starts_with(own.trim_end_matches("jwks.json")));
    match inner {
        Some(inner) if inner.split('/').all(plain_segment) && !clashes => Ok(prefix),
        _ => Err(invalid("ADMIN_PATH_PREFIX", "must be a path like /admin/: segments of letters, digits, '-', '_', '.' or '~', starting and ending with '/', apart from /v0/token/ and /.well-known/")),
    }
}

/// `/health` by default; a path of plain segments, apart from the Worker's own routes.
fn health_path(text: Option<String>) -> Result<String, ConfigError> {
    let path = text.map(|t| t.trim().to_owned()).unwrap_or_else(|| DEFAULT_HEALTH_PATH.to_owned());
    let clashes = OWN_ROUTES.iter().any(|own| path.starts_with(own) || *own == path);
    match path.strip_prefix('/') {
        Some(inner) if inner.split('/').all(plain_segment) && !clashes => Ok(path),
        _ => Err(invalid("HEALTH_PATH", "must be a path like /health: segments of letters, digits, '-', '_', '.' or '~'")),
    }
}

fn plain_segment(segment: &str) -> bool {
    !segment.is_empty() && segment != "." && segment != ".." && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b))
}

/// No policy rule may lie entirely where the Worker answers itself: it would
/// silently never apply.
fn check_own_routes(policy: &Policy, admin_prefix: &str, health_path: &str) -> Result<(), ConfigError> {
    check_shadows(policy, [admin_prefix, health_path].into_iter().chain(OWN_ROUTES))
}

fn check_shadows<'a>(policy: &Policy, own: impl IntoIterator<Item = &'a str>) -> Result<(), ConfigError> {
    match own.into_iter().find_map(|route| policy.shadowed_by(route).map(|rule| (route, rule))) {
        Some((route, rule)) => Err(invalid("GATEWAY_POLICY", &format!(
            "has a rule for {}, which the Worker serves itself at {route} (move the admin API with ADMIN_PATH_PREFIX, the health check with HEALTH_PATH)",
            rule.pattern.as_str()
        ))),
        None => Ok(()),
    }
}

fn list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// `ALLOWED_AUDIENCES`: a value of only commas and spaces lists none, and
/// is refused rather than read as a list that allows nothing.
fn audiences(text: &str) -> Result<Vec<String>, ConfigError> {
    let audiences = list(text);
    match audiences.is_empty() {
        true => Err(invalid("ALLOWED_AUDIENCES", "lists no audience")),
        false => Ok(audiences),
    }
}

/// `TOKEN_LIFETIME_SECONDS`: 1 to 3600, 20 by default. Revoking a key does
/// not recall the tokens already exchanged for it, so they must stay short.
fn token_lifetime(text: Option<String>) -> Result<u64, ConfigError> {
    match number(text, "TOKEN_LIFETIME_SECONDS", 20)? {
        seconds @ 1..=3600 => Ok(seconds),
        _ => Err(invalid("TOKEN_LIFETIME_SECONDS", "must be 1 to 3600 seconds: revoking a key does not recall the tokens made from it")),
    }
}

/// Seconds, at most a day: a scheduled rotation waits this long (the JWKS's
/// cache lifetime and the propagation) before its next key signs, so a huge
/// value would leave the rotation pending for good.
fn at_most_a_day(text: Option<String>, name: &str, default: u64) -> Result<u64, ConfigError> {
    match number(text, name, default)? {
        seconds @ 0..=86_400 => Ok(seconds),
        _ => Err(invalid(name, "must be at most 86400 seconds (a day)")),
    }
}

fn number(text: Option<String>, name: &str, default: u64) -> Result<u64, ConfigError> {
    match text {
        None => Ok(default),
        Some(text) => text.trim().parse().map_err(|_| invalid(name, "must be a whole number of seconds")),
    }
}

fn origin(url: Option<String>, echo: bool, policy: &Policy) -> Result<Option<Origin>, ConfigError> {
    match url.filter(|url| !url.trim().is_empty()) {
        Some(url) if url.contains(['?', '#']) => Err(invalid("ORIGIN_URL", "must not have a query or a fragment: the request's path is appended to it")),
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
            worker::Url::parse(&url).map_err(|_| invalid("ORIGIN_URL", "is not a valid URL"))?;
            Ok(Some(Origin::Url(url.trim_end_matches('/').to_owned())))
        }
        Some(_) => Err(invalid("ORIGIN_URL", "must be an http:// or https:// URL")),
        None if echo => Ok(Some(Origin::Echo)),
        None if policy.is_empty() => Ok(None),
        None => Err(invalid("ORIGIN_URL", "is not set, and GATEWAY_POLICY has routes to forward (ECHO_ORIGIN=true serves the built-in echo origin, for development only)")),
    }
}

/// The service token's stored hash: required, and well formed, once a route accepts service tokens.
fn service_token_hash(text: Option<String>, policy: &Policy) -> Result<Option<String>, ConfigError> {
    let hash = text.filter(|hash| !hash.trim().is_empty());
    match &hash {
        Some(hash) => check_stored_hash(hash).map_err(|e| invalid("SERVICE_TOKEN_HASH", &e.to_string()))?,
        None if policy.accepts(&Kind::ServiceToken) => return Err(missing("SERVICE_TOKEN_HASH")),
        None => {}
    }
    Ok(hash)
}

/// Basic-auth users and their stored hashes, each checked now rather than at a user's first login.
fn basic_users(text: Option<String>, policy: &Policy) -> Result<BTreeMap<String, String>, ConfigError> {
    let users: BTreeMap<String, String> = serde_json::from_str(text.as_deref().unwrap_or("{}"))
        .map_err(|_| invalid("BASIC_USERS", "must be a JSON object of user names to password hashes"))?;
    if users.is_empty() && policy.accepts(&Kind::Basic) {
        return Err(missing("BASIC_USERS"));
    }
    for (user, hash) in &users {
        check_stored_hash(hash).map_err(|e| invalid("BASIC_USERS", &format!("has an unusable hash for \"{user}\": {e}")))?;
    }
    Ok(users)
}

fn signing_alg(text: Option<String>) -> Result<Algorithm, ConfigError> {
    let name = text.as_deref().map(str::trim).unwrap_or("ES256");
    SIGNING_ALGORITHMS
        .into_iter()
        .find(|alg| alg.name() == name)
        .ok_or_else(|| invalid("SIGNING_ALG", "must be ES256, EdDSA, RS256 or PS256"))
}

/// `SIGNING_JWK`, checked now as an import would check it; the reason for a
/// refusal names no part of the key.
fn signing_jwk(text: Option<String>, alg: Algorithm) -> Result<Option<crate::Key>, ConfigError> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else { return Ok(None) };
    let jwk = crate::json::parse_object(text.as_bytes()).map_err(|_| invalid("SIGNING_JWK", "must be a private JWK (a JSON object)"))?;
    signing_keys::signing_key(&serde_json::Value::Object(jwk), alg).map(Some).map_err(|why| invalid("SIGNING_JWK", &why))
}

/// `SIGNING_RSA_BITS`: 2048 by default, 2048 to 4096 in steps of 128 (what
/// WebCrypto's BoringSSL generates exactly).
fn rsa_bits(text: Option<String>) -> Result<u32, ConfigError> {
    match number(text, "SIGNING_RSA_BITS", 2048).ok().and_then(|bits| u32::try_from(bits).ok()) {
        Some(bits) if signing_keys::RSA_BITS.contains(&bits) && bits % 128 == 0 => Ok(bits),
        _ => Err(invalid("SIGNING_RSA_BITS", "must be from 2048 to 4096, a multiple of 128 (2048, 3072, 4096)")),
    }
}

/// `ROTATE_AFTER_DAYS`: off when unset or `off`, else a positive number of
/// days (fractions allowed), in seconds.
fn rotate_after(text: Option<String>) -> Result<Option<u64>, ConfigError> {
    let Some(text) = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty() && t != "off") else { return Ok(None) };
    match text.parse::<f64>() {
        Ok(days) if days.is_finite() && days > 0.0 && days <= 3650.0 => Ok(Some(((days * 86_400.0).round() as u64).max(1))),
        _ => Err(invalid("ROTATE_AFTER_DAYS", "must be a number of days above 0 (at most 3650), or off")),
    }
}

fn hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if text.len() != 64 {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| text.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok())).collect()
}

/// Base64url JSON, as the forwarded identity headers carry it.
pub(crate) fn encode_header_json(value: &serde_json::Value) -> String {
    b64::encode(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_numbers_and_hex() {
        assert_eq!(list(" a, b ,,c"), vec!["a", "b", "c"]);
        assert_eq!(audiences(" a, b").unwrap(), vec!["a", "b"]);
        assert_eq!(audiences(" , ,").unwrap_err().setting, "ALLOWED_AUDIENCES");
        assert_eq!(number(Some("30".into()), "X", 20).unwrap(), 30);
        assert_eq!(number(None, "X", 20).unwrap(), 20);
        assert_eq!(at_most_a_day(Some("86400".into()), "X", 90).unwrap(), 86_400);
        assert!(at_most_a_day(Some("86401".into()), "X", 90).is_err());
        assert_eq!(number(Some("-1".into()), "X", 20).unwrap_err().setting, "X");
        assert_eq!(hex(&"ab".repeat(32)).unwrap(), vec![0xab; 32]);
        assert!(hex("abc").is_none() && hex(&"zz".repeat(32)).is_none());
        assert!(signing_alg(Some("HS256".into())).is_err());
        assert_eq!(signing_alg(Some("PS256".into())).unwrap(), Algorithm::PS256);
    }

    #[test]
    fn signing_key_settings_are_bounded() {
        assert_eq!(rsa_bits(None).unwrap(), 2048);
        assert_eq!(rsa_bits(Some("3072".into())).unwrap(), 3072);
        for bad in ["1024", "2047", "2100", "8192", "x"] {
            assert_eq!(rsa_bits(Some(bad.into())).unwrap_err().setting, "SIGNING_RSA_BITS", "{bad}");
        }
        assert_eq!(rotate_after(None).unwrap(), None);
        assert_eq!(rotate_after(Some("off".into())).unwrap(), None);
        assert_eq!(rotate_after(Some("30".into())).unwrap(), Some(30 * 86_400));
        assert_eq!(rotate_after(Some("0.5".into())).unwrap(), Some(43_200));
        for bad in ["0", "-1", "NaN", "inf", "soon"] {
            assert_eq!(rotate_after(Some(bad.into())).unwrap_err().setting, "ROTATE_AFTER_DAYS", "{bad}");
        }
        let public = crate::Key::generate(Algorithm::ES256, None).unwrap().to_jwk(false).unwrap();
        let refused = signing_jwk(Some(serde_json::Value::Object(public).to_string()), Algorithm::ES256).unwrap_err();
        assert_eq!(refused.setting, "SIGNING_JWK");
        assert!(!refused.public_message().contains("public"), "the client is told the setting only");
        assert!(signing_jwk(Some("{not json".into()), Algorithm::ES256).is_err());
        assert!(signing_jwk(None, Algorithm::ES256).unwrap().is_none());
    }

    #[test]
    fn credentials_a_route_accepts_must_be_configured_and_well_formed() {
        let service = Policy::parse(r#"[{"prefix": "/s/", "auth": ["service_token"]}]"#).unwrap();
        let basic = Policy::parse(r#"[{"prefix": "/b/", "auth": ["basic"]}]"#).unwrap();
        let moose = "0123456789abcdef0123456789abcdef01234567".to_owned();
        assert_eq!(service_token_hash(None, &service).unwrap_err().to_string(), "SERVICE_TOKEN_HASH is not set");
        assert_eq!(service_token_hash(None, &basic).unwrap(), None);
        assert!(service_token_hash(Some("$pbkdf2-sha256$i=1$x$y".into()), &basic).unwrap_err().to_string().starts_with("SERVICE_TOKEN_HASH "));
        assert_eq!(service_token_hash(Some(moose.clone()), &service).unwrap(), Some(moose.clone()));
        assert_eq!(basic_users(None, &basic).unwrap_err().to_string(), "BASIC_USERS is not set");
        let plaintext = basic_users(Some(r#"{"ann": "plaintext"}"#.into()), &service).unwrap_err();
        assert!(plaintext.to_string().contains("\"ann\"") && !plaintext.public_message().contains("ann"));
        assert_eq!(basic_users(Some(format!(r#"{{"ann": "{moose}"}}"#)), &basic).unwrap().len(), 1);
    }

    #[test]
    fn the_admin_prefix_is_a_plain_path() {
        assert_eq!(admin_prefix(None).unwrap(), "/admin/");
        assert_eq!(admin_prefix(Some("/_edgeauth/admin/".into())).unwrap(), "/_edgeauth/admin/");
        for bad in ["/", "admin/", "/admin", "//", "/a//b/", "/../", "/a b/", "/v0/", "/v0/token/x/", "/.well-known/"] {
            assert!(admin_prefix(Some(bad.into())).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_login_limit_is_failures_per_seconds() {
        assert_eq!(limit(None, "X").unwrap(), None);
        assert_eq!(limit(Some("3 / 2".into()), "X").unwrap(), Some(LoginLimit { max_failures: 3, window: 2.0 }));
        for bad in ["0/30", "5/0", "5", "5/x", "-1/30", "5/30/1"] {
            assert_eq!(limit(Some(bad.into()), "X").unwrap_err().setting, "X", "{bad}");
        }
        assert_eq!(failure_limit(None).unwrap(), Some(LoginLimit { max_failures: 10, window: 60.0 }));
        assert_eq!(failure_limit(Some("off".into())).unwrap(), None);
    }

    #[test]
    fn the_health_path_is_plain_and_apart_from_the_rest() {
        assert_eq!(health_path(None).unwrap(), "/health");
        assert_eq!(health_path(Some("/_edgeauth/health".into())).unwrap(), "/_edgeauth/health");
        for bad in ["health", "/a//b", "/v0/token/x", "/.well-known/jwks.json", "/a b"] {
            assert!(health_path(Some(bad.into())).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_policy_rule_where_the_worker_answers_itself_is_refused() {
        let check = |json: &str| check_own_routes(&Policy::parse(json).unwrap(), "/admin/", "/health");
        assert!(check(r#"[{"prefix": "/admin/plan/", "auth": ["jwt"]}]"#).unwrap_err().detail.contains("/admin/plan/"));
        assert!(check(r#"[{"path": "/health", "auth": "public"}]"#).is_err());
        assert!(check(r#"[{"prefix": "/v0/token/", "auth": "public"}]"#).is_err());
        assert!(check(r#"[{"prefix": "/", "auth": "public"}, {"prefix": "/api/", "auth": ["jwt"]}]"#).is_ok());
    }

    #[test]
    fn an_origin_is_required_once_the_policy_forwards() {
        let routes = Policy::parse(r#"[{"prefix": "/api/", "auth": ["jwt"]}]"#).unwrap();
        let empty = Policy::default();
        assert!(matches!(origin(Some("https://o.example/".into()), false, &routes), Ok(Some(Origin::Url(u))) if u == "https://o.example"));
        assert!(matches!(origin(None, true, &routes), Ok(Some(Origin::Echo))));
        assert!(matches!(origin(None, false, &empty), Ok(None)));
        assert!(origin(None, false, &routes).unwrap_err().to_string().starts_with("ORIGIN_URL "));
        assert!(origin(Some("ftp://o.example".into()), false, &routes).is_err());
        assert!(origin(Some("https://o.example/?a=1".into()), false, &routes).is_err());
        assert!(origin(Some("https://o.example/#x".into()), false, &routes).is_err());
    }
}
