//! The chain, natively: order, fallback, refusals and provider routing.

use super::presented::tests::Fake;
use super::*;
use crate::apikey::test_support::block_on;
use crate::jwt::Mint;
use crate::policy::Policy;
use crate::secret_hash::{hash_secret, HashAlgorithm};
use crate::session::{LoginLimit, Role, SessionCookie};
use crate::{Algorithm, Key};
use serde_json::Map;
use std::cell::Cell;

const NOW: f64 = 1_700_000_000.0;
const HMAC: &str = "a-secret-of-at-least-thirty-two-bytes!!";
const SHORT: &str = "cloudmon-secret-2024";

/// A backend with one own key set, one API key, failures counted in memory
/// and a switch that takes its store down.
struct Host {
    own: Rc<KeySet>,
    down: Cell<bool>,
    api_key: (&'static str, ApiKeyRecord),
    failures: std::cell::RefCell<std::collections::HashMap<String, Vec<f64>>>,
}

impl Backend for Host {
    async fn key_set(&self, from: &KeysFrom, _now: f64) -> Result<Rc<KeySet>> {
        match (from, self.down.get()) {
            (_, true) | (KeysFrom::Remote(_), _) => Err(Error::StoreUnavailable("down")),
            _ => Ok(Rc::clone(&self.own)),
        }
    }
    async fn api_key(&self, key: &str, _now: u64) -> Result<ApiKeyRecord> {
        match (self.down.get(), key == self.api_key.0) {
            (true, _) => Err(Error::StoreUnavailable("down")),
            (false, true) => Ok(self.api_key.1.clone()),
            (false, false) => Err(Error::CredentialRejected),
        }
    }
    async fn paused(&self, key: &str, limit: &LoginLimit, now: f64) -> Result<Option<u64>> {
        Ok(limit.retry_after(self.failures.borrow().get(key).map_or(&[][..], Vec::as_slice), now))
    }
    async fn failed(&self, key: &str, now: f64) -> Result<()> {
        self.failures.borrow_mut().entry(key.to_owned()).or_default().push(now);
        Ok(())
    }
    /// Live sessions are those whose id starts with `live-`; the user's role is their name.
    async fn session(&self, cookie: &SessionCookie, _now: f64) -> Result<Role> {
        match (self.down.get(), cookie.sid.starts_with("live-")) {
            (true, _) => Err(Error::StoreUnavailable("down")),
            (false, true) => cookie.user.parse().map_err(|()| Error::CredentialRejected),
            (false, false) => Err(Error::CredentialRevoked),
        }
    }
}

fn own_key() -> Key {
    Key::from_secret(&[7; 32], Algorithm::HS256, Some("own")).unwrap()
}

fn host() -> Host {
    let mut own = KeySet::new();
    own.add(own_key());
    let record = ApiKeyRecord {
        key_id: "k1".into(),
        integration_id: "acme".into(),
        hash: String::new(),
        tier: 1,
        scopes: vec!["read".into()],
        ..crate::apikey::test_support::record("k1")
    };
    Host { own: Rc::new(own), down: Cell::new(false), api_key: ("eak_valid", record), failures: Default::default() }
}

fn lookup(name: &str) -> Option<String> {
    match name {
        "GATEWAY_HMAC_SECRET" => Some(HMAC.into()),
        "STATUS_DASHBOARD_SECRET" => Some(SHORT.into()),
        "INGEST" => Some(hash_secret(b"moose-key", HashAlgorithm::HmacSha256).unwrap()),
        _ => None,
    }
}

fn gate(basic: &[(&str, &str)]) -> Gate {
    let own = OwnSettings { issuer: "https://self", audiences: &["api".to_owned()], algorithm: Algorithm::HS256 };
    let providers = parse_providers(
        Some(r#"[{"type":"self","name":"self"},
                 {"type":"hmac","name":"partner","issuer":"https://partner","audiences":["api"],"algorithms":["HS256"]},
                 {"type":"hmac","name":"cloudmon","secret_env":"STATUS_DASHBOARD_SECRET","allow_short_secret":true,"require_exp":false,"any_audience":true,"algorithms":["HS256"]},
                 {"type":"remote_jwks","name":"idp","issuer":"https://idp","audiences":["api"],"algorithms":["ES256"],"url":"https://idp/jwks"}]"#),
        &own,
        &lookup,
    )
    .unwrap();
    let key_sets = parse_key_sets(Some(r#"{"ingest": {"header": "Authorization", "hashes_env": "INGEST"}, "partners": {"header": "X-Partner-Key", "hashes_env": "INGEST"}}"#), &lookup).unwrap();
    let service = ServiceToken { source: ServiceTokenSource::default(), hash: hash_secret(b"svc-token", HashAlgorithm::HmacSha256).unwrap() };
    let users = basic.iter().map(|(u, p)| (u.to_string(), hash_secret(p.as_bytes(), HashAlgorithm::HmacSha256).unwrap())).collect();
    let sessions = Sessions { cookie_name: "kure_session".into(), secret: SESSION_SECRET.to_vec() };
    Gate::new(providers, key_sets, Some(service), users, "X-API-Key").with_sessions(sessions)
}

const SESSION_SECRET: &[u8] = b"the dashboard's session secret";

fn session_cookie(sid: &str, role: &str, secret: &[u8]) -> String {
    let sealed = SessionCookie { sid: sid.into(), user: role.into(), exp: NOW as u64 + 60 }.seal(secret).unwrap();
    format!("theme=dark; kure_session={sealed}")
}

fn rule(json: &str) -> Rule {
    let policy = Policy::parse(&format!("[{json}]")).unwrap();
    policy.rule_for("GET", "/r/x").unwrap().clone()
}

fn request(headers: &[(&str, &str)]) -> Fake {
    request_with("GET", headers)
}

fn request_with(method: &'static str, headers: &[(&str, &str)]) -> Fake {
    Fake { headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(), query: None, method }
}

fn token(claims: serde_json::Value, key: &Key, expires: bool) -> String {
    let mint = Mint { expires_in: expires.then_some(60), current_time: Some(NOW as u64), issued_at: false, ..Mint::default() };
    mint.sign(claims.as_object().unwrap_or(&Map::new()), key).unwrap()
}

fn own_token() -> String {
    token(json!({"iss": "https://self", "aud": "api", "sub": "alice", "scope": "read write"}), &own_key(), true)
}

fn run(gate: &Gate, rule_json: &str, headers: &[(&str, &str)]) -> std::result::Result<Identity, Refusal> {
    run_on(gate, &host(), rule_json, headers)
}

fn run_on(gate: &Gate, host: &Host, rule_json: &str, headers: &[(&str, &str)]) -> std::result::Result<Identity, Refusal> {
    block_on(gate.authenticate(&request(headers), &rule(rule_json), host, NOW))
}

fn method(outcome: std::result::Result<Identity, Refusal>) -> &'static str {
    outcome.map(|identity| identity.method).unwrap_or("refused")
}

#[test]
fn the_listed_order_decides_among_presented_credentials() {
    let gate = gate(&[]);
    let bearer = format!("Bearer {}", own_token());
    let both = [("authorization", bearer.as_str()), ("x-api-key", "eak_valid")];
    assert_eq!(method(run(&gate, r#"{"prefix":"/r/","auth":["jwt","api_key"]}"#, &both)), "jwt");
    assert_eq!(method(run(&gate, r#"{"prefix":"/r/","auth":["api_key","jwt"]}"#, &both)), "api_key");
}

#[test]
fn a_credential_that_fails_falls_back_to_the_next_kind() {
    let gate = gate(&[]);
    let forged = format!("Bearer {}", token(json!({"iss": "https://self", "aud": "api"}), &Key::from_secret(&[9; 32], Algorithm::HS256, None).unwrap(), true));
    let chain = r#"{"prefix":"/r/","auth":["jwt","key:ingest","key:partners"]}"#;
    // Moose: one Bearer value, tried as a JWT, then as the static key.
    assert_eq!(run(&gate, chain, &[("authorization", "Bearer moose-key")]).unwrap().subject, "ingest");
    // A forged JWT beside a valid key in another header: the key lets it in.
    assert_eq!(run(&gate, chain, &[("authorization", &forged), ("x-partner-key", "moose-key")]).unwrap().subject, "partners");
    // jwt_only (Moose's enforce flags): the key no longer counts.
    let strict = r#"{"prefix":"/r/","auth":["jwt","key:ingest"],"jwt_only":true}"#;
    assert!(run(&gate, strict, &[("authorization", "Bearer moose-key")]).is_err());
    assert_eq!(method(run(&gate, strict, &[("authorization", &format!("Bearer {}", own_token()))])), "jwt");
}

#[test]
fn refusals_challenge_with_the_first_kind_listed_and_never_say_why() {
    let gate = gate(&[("ann", "correct horse")]);
    let refused = |rule: &str, headers: &[(&str, &str)]| run(&gate, rule, headers).unwrap_err();
    let basic_first = r#"{"prefix":"/r/","auth":["basic","jwt"]}"#;
    assert_eq!(refused(basic_first, &[]), Refusal::Unauthenticated { challenge: Challenge::Basic, reason: None });
    let wrong = refused(r#"{"prefix":"/r/","auth":["jwt","basic"]}"#, &[("authorization", "Basic YW5uOndyb25n")]);
    assert_eq!(wrong, Refusal::Unauthenticated { challenge: Challenge::Bearer, reason: Some(Error::CredentialRejected) });
    assert!(matches!(refused(basic_first, &[("authorization", "Bearer  two-spaces")]), Refusal::Unauthenticated { challenge: Challenge::Basic, .. }));
    assert!(matches!(refused(basic_first, &[("authorization", "Digest x")]), Refusal::Unauthenticated { reason: None, .. }));
}

#[test]
fn our_own_failure_is_reported_only_when_nothing_verified() {
    let gate = gate(&[]);
    let host = host();
    host.down.set(true);
    let chain = r#"{"prefix":"/r/","auth":["api_key","key:ingest"]}"#;
    let refused = run_on(&gate, &host, chain, &[("x-api-key", "eak_valid")]).unwrap_err();
    assert_eq!(refused, Refusal::Failed(Error::StoreUnavailable("down")));
    let rescued = run_on(&gate, &host, chain, &[("x-api-key", "eak_valid"), ("authorization", "Bearer moose-key")]);
    assert_eq!(method(rescued), "key");
    // The remote set is unreachable: 503, never a pass and never a 401.
    let idp = token(json!({"iss": "https://idp", "aud": "api"}), &Key::generate(Algorithm::ES256, None).unwrap(), true);
    let remote = run(&gate, r#"{"prefix":"/r/","auth":["jwt"]}"#, &[("authorization", &format!("Bearer {idp}"))]);
    assert_eq!(remote.unwrap_err(), Refusal::Failed(Error::StoreUnavailable("down")));
}

#[test]
fn tokens_go_to_the_provider_of_their_issuer_and_those_the_rule_allows() {
    let gate = gate(&[]);
    let jwt = r#"{"prefix":"/r/","auth":["jwt"]}"#;
    let bearer = |token: String| format!("Bearer {token}");
    let cloudmon = Key::from_short_secret(SHORT.as_bytes(), Algorithm::HS256, None).unwrap();
    let stackmon = bearer(token(json!({"stackmon": "dummy"}), &cloudmon, false));
    let reporter = run(&gate, jwt, &[("authorization", &stackmon)]).unwrap();
    assert_eq!((reporter.claims, reporter.subject.as_str()), (json!({"stackmon": "dummy"}), "cloudmon"));
    // A token that names an issuer never reaches the issuer-less provider...
    let named = bearer(token(json!({"stackmon": "dummy", "iss": "https://other"}), &cloudmon, false));
    assert!(run(&gate, jwt, &[("authorization", &named)]).is_err());
    // ...nor does one whose iss is not a string.
    let odd = bearer(token(json!({"stackmon": "dummy", "iss": 7}), &cloudmon, false));
    assert!(run(&gate, jwt, &[("authorization", &odd)]).is_err());
    // The partner's secret under our issuer is refused; under its own it passes.
    let partner = Key::from_secret(HMAC.as_bytes(), Algorithm::HS256, None).unwrap();
    let as_self = bearer(token(json!({"iss": "https://self", "aud": "api"}), &partner, true));
    assert!(run(&gate, jwt, &[("authorization", &as_self)]).is_err());
    let as_partner = bearer(token(json!({"iss": "https://partner", "aud": "api", "sub": "p"}), &partner, true));
    let partner = run(&gate, jwt, &[("authorization", &as_partner)]).unwrap();
    assert_eq!((partner.subject.as_str(), partner.provider.as_deref()), ("p", Some("partner")));
    let only_self = r#"{"prefix":"/r/","auth":["jwt"],"providers":["self"]}"#;
    assert!(run(&gate, only_self, &[("authorization", &as_partner)]).is_err());
}

#[test]
fn scopes_are_checked_on_the_winner() {
    let gate = gate(&[]);
    let bearer = format!("Bearer {}", own_token());
    let needs = |scope: &str| format!(r#"{{"prefix":"/r/","auth":["jwt"],"scopes":["{scope}"]}}"#);
    assert_eq!(run(&gate, &needs("write"), &[("authorization", &bearer)]).unwrap().subject, "alice");
    assert_eq!(run(&gate, &needs("admin"), &[("authorization", &bearer)]).unwrap_err(), Refusal::Forbidden);
}

#[test]
fn service_tokens_and_basic_users() {
    let gate = gate(&[("ann", "correct horse")]);
    let service = r#"{"prefix":"/r/","auth":["service_token"]}"#;
    assert_eq!(method(run(&gate, service, &[("x-service-token", "svc-token")])), "service_token");
    assert!(run(&gate, service, &[("x-service-token", "wrong")]).is_err());
    let ws = Fake { headers: vec![("upgrade".into(), "websocket".into())], query: Some("room=1&token=svc-token".into()), method: "GET" };
    assert_eq!(block_on(gate.authenticate(&ws, &rule(service), &host(), NOW)).unwrap().method, "service_token");
    let basic = r#"{"prefix":"/r/","auth":["basic"]}"#;
    let header = |user_password: &str| format!("Basic {}", base64::Engine::encode(&base64::engine::general_purpose::STANDARD, user_password));
    assert_eq!(run(&gate, basic, &[("authorization", &header("ann:correct horse"))]).unwrap().subject, "ann");
    assert!(run(&gate, basic, &[("authorization", &header("ann:wrong"))]).is_err());
    // An unknown user is refused even with a known user's password, after
    // the same hash work: a check against a configured hash ran.
    assert!(run(&gate, basic, &[("authorization", &header("bob:correct horse"))]).is_err());
    let ann = gate.basic_users.get("ann").unwrap().clone();
    assert!(gate.secrets.remembers("basic:bob", "correct horse", &[ann], NOW as u64));
}

#[test]
fn an_unknown_user_is_checked_against_the_costliest_hash() {
    let mut gate = gate(&[("cheap", "x")]);
    let costly = hash_secret(b"y", HashAlgorithm::Pbkdf2Sha256 { iterations: crate::secret_hash::MIN_PBKDF2_ITERATIONS }).unwrap();
    gate.basic_users.insert("dear".into(), costly.clone());
    gate = Gate::new(Vec::new(), Vec::new(), None, gate.basic_users, "x-api-key");
    assert_eq!(gate.basic_stand_in.as_deref(), Some(costly.as_str()));
}

#[test]
fn credential_headers_cover_every_configured_source() {
    let names = gate(&[]).credential_headers();
    assert_eq!(names, vec!["authorization", "x-api-key", "x-partner-key", "x-service-token"]);
}

#[test]
fn a_session_is_a_credential_with_a_role() {
    let gate = gate(&[]);
    let host = host();
    let at = |method: &'static str, rule: &str, headers: &[(&str, &str)]| block_on(gate.authenticate(&request_with(method, headers), &self::rule(rule), &host, NOW));
    let dashboard = r#"{"prefix":"/r/","auth":["session","jwt"]}"#;
    let reader = session_cookie("live-1", "read", SESSION_SECRET);
    let identity = at("GET", dashboard, &[("cookie", &reader)]).unwrap();
    assert_eq!((identity.method, identity.subject.as_str(), identity.role), ("session", "read", Some(Role::Read)));
    let same_origin = [("cookie", reader.as_str()), ("origin", "https://dash.example")];
    assert_eq!(at("POST", dashboard, &same_origin).unwrap_err(), Refusal::Forbidden, "read cannot write");
    let writer = session_cookie("live-2", "write", SESSION_SECRET);
    assert_eq!(at("POST", dashboard, &[("cookie", &writer), ("sec-fetch-site", "same-origin")]).unwrap().subject, "write");
    let admin_only = r#"{"prefix":"/r/","auth":["session"],"role":"admin"}"#;
    assert_eq!(at("GET", admin_only, &[("cookie", &writer)]).unwrap_err(), Refusal::Forbidden);
    assert!(at("GET", admin_only, &[("cookie", &session_cookie("live-3", "admin", SESSION_SECRET))]).is_ok());
}

#[test]
fn a_cookie_never_authorizes_a_cross_site_write() {
    let gate = gate(&[]);
    let writer = session_cookie("live-2", "write", SESSION_SECRET);
    let rule = rule(r#"{"prefix":"/r/","auth":["session"]}"#);
    for headers in [vec![("cookie", writer.as_str())], vec![("cookie", writer.as_str()), ("origin", "https://evil.example")],
        vec![("cookie", writer.as_str()), ("sec-fetch-site", "cross-site"), ("origin", "https://dash.example")]] {
        let refused = block_on(gate.authenticate(&request_with("DELETE", &headers), &rule, &host(), NOW));
        assert_eq!(refused.unwrap_err(), Refusal::CrossSite, "{headers:?}");
    }
}

#[test]
fn ended_forged_or_unconfirmable_sessions_are_refused() {
    let gate = gate(&[]);
    let dashboard = r#"{"prefix":"/r/","auth":["session"]}"#;
    let refused = |cookie: &str| run(&gate, dashboard, &[("cookie", cookie)]).unwrap_err();
    assert!(matches!(refused(&session_cookie("ended-1", "admin", SESSION_SECRET)), Refusal::Unauthenticated { reason: Some(Error::CredentialRevoked), .. }));
    assert!(matches!(refused(&session_cookie("live-1", "admin", b"the secret before the rotation")), Refusal::Unauthenticated { .. }));
    let twice = format!("{}; kure_session=x", session_cookie("live-1", "admin", SESSION_SECRET));
    assert!(matches!(refused(&twice), Refusal::Unauthenticated { .. }));
    assert!(matches!(refused("theme=dark"), Refusal::Unauthenticated { reason: None, .. }));
    let host = host();
    host.down.set(true);
    let down = run_on(&gate, &host, dashboard, &[("cookie", &session_cookie("live-1", "admin", SESSION_SECRET))]);
    assert_eq!(down.unwrap_err(), Refusal::Failed(Error::StoreUnavailable("down")));
}

#[test]
fn failed_basic_and_service_checks_pause_a_client_after_its_budget() {
    let gate = gate(&[("ann", "correct horse")]).with_failure_limit(LoginLimit { max_failures: 2, window: 30.0 });
    let host = host();
    let basic = |user_password: &str, client: &str| {
        let header = format!("Basic {}", base64::Engine::encode(&base64::engine::general_purpose::STANDARD, user_password));
        run_on(&gate, &host, r#"{"prefix":"/r/","auth":["basic"]}"#, &[("authorization", &header), ("cf-connecting-ip", client)])
    };
    assert!(matches!(basic("ann:guess one", "198.51.100.7"), Err(Refusal::Unauthenticated { .. })));
    assert!(matches!(basic("ann:guess one", "198.51.100.7"), Err(Refusal::Unauthenticated { .. })), "the same guess is remembered, not counted");
    assert!(matches!(basic("ann:guess two", "198.51.100.7"), Err(Refusal::Unauthenticated { .. })));
    assert_eq!(basic("ann:correct horse", "198.51.100.7").unwrap_err(), Refusal::Failed(Error::RateLimited { retry_after: 30 }));
    assert_eq!(basic("ann:correct horse", "203.0.113.9").unwrap().subject, "ann", "another client has its own budget");
    let service = |token: &str| run_on(&gate, &host, r#"{"prefix":"/r/","auth":["service_token"]}"#, &[("x-service-token", token), ("cf-connecting-ip", "198.51.100.7")]);
    assert!(service("guess-1").is_err() && service("guess-2").is_err());
    assert_eq!(service("svc-token").unwrap_err(), Refusal::Failed(Error::RateLimited { retry_after: 30 }));
}

#[test]
fn a_rule_naming_audiences_takes_only_keys_issued_for_and_tokens_addressed_to_one() {
    let gate = gate(&[]);
    let rule_for = |audiences: &str| format!(r#"{{"prefix":"/r/","auth":["api_key","jwt"],"audiences":{audiences}}}"#);
    let mut namespaced = host();
    namespaced.api_key.1.audiences = Some(vec!["autojoin".into()]);
    let key = [("x-api-key", "eak_valid")];
    assert_eq!(method(run_on(&gate, &namespaced, &rule_for(r#"["autojoin"]"#), &key)), "api_key");
    let refused = run_on(&gate, &namespaced, &rule_for(r#"["integration"]"#), &key).unwrap_err();
    assert!(matches!(refused, Refusal::Unauthenticated { reason: Some(Error::ClaimValidationFailed { .. }), .. }), "{refused:?}");
    // A key made before keys had audiences counts for all of them.
    assert_eq!(method(run(&gate, &rule_for(r#"["integration"]"#), &key)), "api_key");
    let bearer = format!("Bearer {}", own_token());
    assert_eq!(method(run(&gate, &rule_for(r#"["api"]"#), &[("authorization", &bearer)])), "jwt");
    assert!(run(&gate, &rule_for(r#"["other"]"#), &[("authorization", &bearer)]).is_err());
}
