//! The gateway's credential chain (`edgeauth::authn`): any headers, query and
//! rule from the input give an identity or a refusal, never a panic, and an
//! identity is always one of the kinds the rule lists, found in the request.
//!
//! Input: a first line listing the rule's kinds (`jwt,key:ingest,basic`, a
//! trailing `!` for jwt_only), then `name: value` header lines, and a line
//! `?query`.
#![no_main]

use edgeauth::apikey::ApiKeyRecord;
use edgeauth::authn::{self, Backend, Gate, KeysFrom, OwnSettings, RequestView, ServiceToken, Sessions};
use edgeauth::session::{LoginLimit, Role, SessionCookie};
use edgeauth::http_auth::ServiceTokenSource;
use edgeauth::policy::Policy;
use edgeauth::secret_hash::{hash_secret, HashAlgorithm};
use edgeauth::{Algorithm, Error, KeySet, Result};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

struct Request {
    headers: Vec<(String, String)>,
    query: Option<String>,
    method: String,
}

impl RequestView for Request {
    fn header(&self, name: &str) -> Option<String> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    }
    fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }
    fn method(&self) -> &str {
        &self.method
    }
    fn own_origin(&self) -> &str {
        "https://dash.example"
    }
}

/// Own keys: an HS256 secret; remote sets are down; one API key exists.
struct Host(Rc<KeySet>);

impl Backend for Host {
    async fn key_set(&self, from: &KeysFrom, _now: f64) -> Result<Rc<KeySet>> {
        match from {
            KeysFrom::Remote(_) => Err(Error::StoreUnavailable("down")),
            _ => Ok(Rc::clone(&self.0)),
        }
    }
    async fn api_key(&self, key: &str, _now: u64) -> Result<ApiKeyRecord> {
        Err(if key.starts_with("eak_") { Error::CredentialRejected } else { Error::CredentialMalformed("format") })
    }
    /// Checks are paused for clients named `paused`.
    async fn paused(&self, key: &str, _limit: &LoginLimit, _now: f64) -> Result<Option<u64>> {
        Ok(key.ends_with("\npaused").then_some(30))
    }
    async fn failed(&self, _key: &str, _now: f64) -> Result<()> {
        Ok(())
    }
    /// Sessions are live when their id starts with `live`; the user names the role.
    async fn session(&self, cookie: &SessionCookie, _now: f64) -> Result<Role> {
        match cookie.sid.starts_with("live") {
            true => cookie.user.parse().map_err(|()| Error::CredentialRejected),
            false => Err(Error::CredentialRevoked),
        }
    }
}

fn lookup(name: &str) -> Option<String> {
    match name {
        "SECRET" => Some("fuzz-secret-fuzz-secret-fuzz-secret!".into()),
        "SHORT" => Some("shortish-secret".into()),
        "HASHES" => Some(hash_secret(b"static-key", HashAlgorithm::HmacSha256).ok()?),
        _ => None,
    }
}

fn gate() -> Gate {
    let audiences = ["api".to_owned()];
    let own = OwnSettings { issuer: "https://self", audiences: &audiences, algorithm: Algorithm::HS256 };
    let providers = authn::parse_providers(
        Some(r#"[{"type":"self","name":"self"},
                 {"type":"hmac","name":"p","issuer":"https://p","secret_env":"SECRET","audiences":["api"],"algorithms":["HS256"]},
                 {"type":"hmac","name":"c","secret_env":"SHORT","allow_short_secret":true,"require_exp":false,"any_audience":true,"algorithms":["HS256"]},
                 {"type":"remote_jwks","name":"r","issuer":"https://r","audiences":["api"],"algorithms":["ES256"],"url":"https://r/jwks"}]"#),
        &own,
        &lookup,
    )
    .unwrap();
    let sets = authn::parse_key_sets(Some(r#"{"ingest":{"header":"Authorization","hashes_env":"HASHES"},"x":{"header":"X-Key","hashes_env":"HASHES"}}"#), &lookup).unwrap();
    let service = ServiceToken { source: ServiceTokenSource::default(), hash: lookup("HASHES").unwrap() };
    let users = BTreeMap::from([("ann".to_owned(), lookup("HASHES").unwrap())]);
    let sessions = Sessions { cookie_name: "s".into(), secret: SESSION_SECRET.to_vec() };
    let limit = LoginLimit { max_failures: 3, window: 30.0 };
    Gate::new(providers, sets, Some(service), users, "X-API-Key").with_sessions(sessions).with_failure_limit(limit)
}

const SESSION_SECRET: &[u8] = b"the fuzz target's session secret";

fn block_on<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the fuzz backend never waits"),
    }
}

fuzz_target!(|data: &[u8]| {
    thread_local! {
        static FIXED: (Gate, Host) = {
            let mut own = KeySet::new();
            own.add(edgeauth::Key::from_secret(&[7; 32], Algorithm::HS256, None).unwrap());
            (gate(), Host(Rc::new(own)))
        };
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.lines();
    let listed = lines.next().unwrap_or_default();
    let (listed, jwt_only) = listed.strip_suffix('!').map_or((listed, false), |l| (l, true));
    let kinds: Vec<String> = listed.split(',').map(|k| serde_json::Value::from(k.trim()).to_string()).collect();
    let rule_json = format!(r#"[{{"prefix":"/","auth":[{}],"jwt_only":{jwt_only}}}]"#, kinds.join(","));
    let Ok(policy) = Policy::parse(&rule_json) else { return };
    let Some(rule) = policy.rule_for("GET", "/x") else { return };
    let mut request = Request { headers: Vec::new(), query: None, method: "GET".into() };
    for line in lines {
        match (line.strip_prefix('?'), line.split_once(": ")) {
            (Some(query), _) => request.query = Some(query.to_owned()),
            (None, Some(("method", method))) => request.method = method.to_owned(),
            // A sealed session cookie for `sid user`, so the fuzzer reaches past the MAC.
            (None, Some(("session", who))) => {
                let (sid, user) = who.split_once(' ').unwrap_or((who, "read"));
                let sealed = SessionCookie { sid: sid.into(), user: user.into(), exp: 1_700_000_060 }.seal(SESSION_SECRET).unwrap();
                request.headers.push(("cookie".into(), format!("s={sealed}")));
            }
            (None, Some((name, value))) => request.headers.push((name.to_owned(), value.to_owned())),
            _ => {}
        }
    }
    FIXED.with(|(gate, host)| {
        let Ok(identity) = block_on(gate.authenticate(&request, rule, host, 1_700_000_000.0)) else { return };
        let listed: Vec<&str> = rule.kinds().map(|kind| match kind {
            edgeauth::policy::Kind::Jwt => "jwt",
            edgeauth::policy::Kind::ApiKey => "api_key",
            edgeauth::policy::Kind::Key(_) => "key",
            edgeauth::policy::Kind::ServiceToken => "service_token",
            edgeauth::policy::Kind::Basic => "basic",
            edgeauth::policy::Kind::Session => "session",
        }).collect();
        if let Some(role) = identity.role {
            let same_origin = edgeauth::session::is_same_origin(&request.method, request.header("origin").as_deref(), request.header("sec-fetch-site").as_deref(), "https://dash.example");
            assert!(role.permits(&request.method) && same_origin, "a session passed what its role or origin forbids");
        }
        assert!(listed.contains(&identity.method), "{} is not among {listed:?}", identity.method);
        assert!(!request.headers.is_empty(), "an identity from a request with no headers");
    });
});
