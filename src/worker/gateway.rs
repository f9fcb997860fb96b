//! The auth gateway: every route not served by the Worker itself.
//!
//! The Worker's side only: it reads the request, asks the core
//! ([`crate::authn::Gate`], under the [`crate::policy`] rule for the
//! canonical path) who the caller is, and forwards. On success the request
//! goes to the origin at its canonical path, without its credentials and
//! without any client-sent `X-Auth-*`, hop-by-hop or method-override header,
//! carrying the verified identity in `X-Auth-Method`, `X-Auth-Subject`,
//! `X-Auth-Claims` (base64url JSON) and, for a JWT, `X-Auth-Provider`; with
//! `FORWARD_IDENTITY_JWT=true` also in `X-Auth-Token`, a 60-second JWT of
//! `typ` `edgeauth-identity+jwt` signed with this Worker's current key. In
//! development (`ECHO_ORIGIN=true`) a built-in echo origin answers with what
//! it received, so the gateway can be tried at once.

use super::config::{encode_header_json, Origin};
use super::http::{into_js, json_response, Failure, Reply, Target};
use super::state::State;
use crate::apikey::ApiKeyRecord;
use crate::authn::{Backend, Challenge, Identity, KeysFrom, Refusal, RequestView};
use crate::policy::Rule;
use crate::jwt::{Jti, Mint};
use crate::remote_jwks::Want;
use crate::session::{without_cookie, LoginLimit, Role, SessionCookie};
use crate::{KeySet, Result as CoreResult};
use serde_json::{json, Map, Value};
use std::rc::Rc;
use wasm_bindgen::prelude::{wasm_bindgen, Closure};
use wasm_bindgen::{JsCast, JsValue};
use worker::{js_sys, web_sys, Headers, Response, Url};

/// How long the identity JWT sent to the origin lives.
const IDENTITY_JWT_SECONDS: u64 = 60;
/// Its `typ`, so that no other token of this issuer (an exchanged one whose
/// audience happens to be the origin) passes where an identity is expected.
const IDENTITY_JWT_TYPE: &str = "edgeauth-identity+jwt";

pub(crate) async fn forward(request: web_sys::Request, state: &State, target: &Target<'_>, now: f64) -> Result<Reply, Failure> {
    let method = request.method();
    let path = target.path;
    let rule = state.config.policy.rule_for(&method, path).ok_or_else(|| Failure::not_found("no such route"))?;
    let incoming = Headers(request.headers());
    let identity = match rule.is_public() {
        true => None,
        false => {
            let view = View { headers: &incoming, query: target.query, method: &method, own_origin: target.origin };
            Some(state.gate.authenticate(&view, rule, state, now).await.map_err(refused)?)
        }
    };
    let headers = match (rule.forward_credentials, rule.inject.is_empty()) {
        (false, true) => forwarded_headers(&incoming, &state.credential_headers, identity.as_ref())?,
        (forward, _) => forwarded_headers(&incoming, &dropped_for(state, rule, forward), identity.as_ref())?,
    };
    if let Some(provider) = identity.as_ref().and_then(|identity| identity.provider.as_deref()) {
        headers.set("x-auth-provider", provider)?;
    }
    // Even where credentials go on: the origin cannot check our session
    // cookie, and it would let whoever reads it manage users.
    drop_session_cookie(state, &incoming, &headers)?;
    if !rule.inject.is_empty() {
        for (name, value) in state.secrets.render(&rule.inject, &state.kv, &state.config.kek, now).await? {
            headers.set(&name, &value)?;
        }
    }
    let query = match rule.forward_credentials {
        true => target.query.map(|query| format!("?{query}")).unwrap_or_default(),
        false => forwarded_query(state, target.query, &incoming),
    };
    match &state.config.origin {
        None => Err(Failure::not_found("no such route")),
        Some(Origin::Echo) => Ok(echo(&method, path, &query, &headers)?.into()),
        Some(Origin::Url(origin)) => {
            if let (true, Some(identity)) = (state.config.forward_identity_jwt, &identity) {
                let token = identity_jwt(state, origin, identity, now).await?;
                headers.set("x-auth-token", &token)?;
            }
            let url = format!("{origin}{path}{query}");
            // The body streams through as it came, never copied into wasm
            // memory, and the origin's response goes back as it is.
            let forwarded = UNAVAILABLE.with(|unavailable| fetch_origin(&request, &url, &headers.0, unavailable.as_ref().unchecked_ref()));
            Ok(Reply::Forwarded(forwarded.map_err(|error| Failure::unavailable(&describe(&error)))?))
        }
    }
}

/// The headers a rule drops besides those every route drops: the
/// credentials unless it forwards them, and the headers it injects in every
/// spelling (`X-Key_Name` too, which CGI-style origins read as `X-Key-Name`),
/// so a client-sent one never stands beside the injected one.
fn dropped_for(state: &State, rule: &Rule, forward_credentials: bool) -> js_sys::Array {
    let dropped = match forward_credentials {
        true => js_sys::Array::new(),
        false => state.credential_headers.slice(0, state.credential_headers.length()),
    };
    for injection in &rule.inject {
        dropped.push(&JsValue::from_str(&injection.header));
        dropped.push(&JsValue::from_str(&injection.header.replace('_', "-")));
    }
    dropped
}

/// The request as the core reads it.
pub(crate) struct View<'a> {
    pub headers: &'a Headers,
    pub query: Option<&'a str>,
    pub method: &'a str,
    pub own_origin: &'a str,
}

impl RequestView for View<'_> {
    fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).ok().flatten()
    }
    fn query(&self) -> Option<&str> {
        self.query
    }
    fn method(&self) -> &str {
        self.method
    }
    fn own_origin(&self) -> &str {
        self.own_origin
    }
}

/// The I/O the core's chain needs: key sets and API-key records.
impl Backend for State {
    async fn key_set(&self, from: &KeysFrom, now: f64) -> CoreResult<Rc<KeySet>> {
        match from {
            KeysFrom::Own => self.signing.live_key_set(now).await,
            KeysFrom::Remote(remote) => self.remote_sets.key_set(&self.kv, remote, Want::Keys, now).await,
            KeysFrom::Fixed => Ok(Rc::new(KeySet::new())),
        }
    }

    async fn key_set_lacking(&self, from: &KeysFrom, kid: Option<&str>, now: f64) -> CoreResult<Rc<KeySet>> {
        match from {
            KeysFrom::Remote(remote) => self.remote_sets.key_set(&self.kv, remote, Want::Kid(kid), now).await,
            other => self.key_set(other, now).await,
        }
    }

    /// A key made before keys had audiences counts for `ALLOWED_AUDIENCES`,
    /// as at the exchange, not for any audience a rule names.
    async fn api_key(&self, key: &str, now: u64) -> CoreResult<ApiKeyRecord> {
        let mut record = self.api_keys.verify(key, now).await?;
        record.audiences.get_or_insert_with(|| self.config.audiences.clone());
        Ok(record)
    }

    async fn session(&self, cookie: &SessionCookie, now: f64) -> CoreResult<Role> {
        self.accounts()?.session_role(cookie, now).await
    }

    async fn paused(&self, key: &str, limit: &LoginLimit, _now: f64) -> CoreResult<Option<u64>> {
        self.accounts()?.paused(key, limit).await
    }

    async fn failed(&self, key: &str, _now: f64) -> CoreResult<()> {
        self.accounts()?.failed(key).await
    }
}

/// The session cookie is a credential: it stays here, the origin's own cookies go on.
fn drop_session_cookie(state: &State, incoming: &Headers, headers: &Headers) -> Result<(), Failure> {
    let (Some(sessions), Some(cookies)) = (state.gate.sessions(), incoming.get("cookie").ok().flatten()) else { return Ok(()) };
    match without_cookie(&cookies, &sessions.cookie_name) {
        Some(rest) if rest.is_empty() => headers.delete("cookie")?,
        Some(rest) => headers.set("cookie", &rest)?,
        None => {}
    }
    Ok(())
}

/// The answer to a refusal: 401 with the route's challenge, 403, or our own failure.
pub(crate) fn refused(refusal: Refusal) -> Failure {
    match refusal {
        Refusal::Unauthenticated { challenge, reason } => Failure::challenge(challenge == Challenge::Basic, reason.as_ref().map(crate::Error::code)),
        Refusal::Forbidden => Failure::forbidden(),
        Refusal::CrossSite => super::auth_api::cross_site(),
        Refusal::Failed(error) => Failure::from(error),
    }
}

/// The identity as a JWT for the origin: `iss` this Worker, `aud` the
/// origin's own URL origin, so a token taken from one origin fits no other.
async fn identity_jwt(state: &State, origin: &str, identity: &Identity, now: f64) -> Result<String, Failure> {
    let audience = Url::parse(origin).map(|url| url.origin().ascii_serialization()).map_err(|_| Failure::internal("ORIGIN_URL does not parse"))?;
    let mint = Mint {
        typ: Some(IDENTITY_JWT_TYPE.to_owned()),
        issuer: Some(state.config.issuer.clone()),
        audience: vec![audience],
        subject: Some(identity.subject.clone()),
        expires_in: Some(IDENTITY_JWT_SECONDS),
        jti: Jti::Random,
        current_time: Some(now as u64),
        ..Mint::default()
    };
    let mut claims = Map::new();
    claims.insert("auth_method".into(), identity.method.into());
    claims.insert("claims".into(), identity.claims.clone());
    state.signing.sign(&state.config.kek, &mint, &claims, now).await?.ok_or_else(|| Failure::internal("FORWARD_IDENTITY_JWT: no signing key"))
}

/// `?` and the query for the origin (see [`crate::authn::Gate::forwarded_query`]),
/// or nothing when no query is left.
fn forwarded_query(state: &State, query: Option<&str>, incoming: &Headers) -> String {
    let Some(query) = query else { return String::new() };
    // Read only when there is a query: most forwarded requests have none.
    let websocket = incoming.get("upgrade").ok().flatten().is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
    match state.gate.forwarded_query(query, websocket) {
        std::borrow::Cow::Borrowed(unchanged) => format!("?{unchanged}"),
        std::borrow::Cow::Owned(rest) if rest.is_empty() => String::new(),
        std::borrow::Cow::Owned(rest) => format!("?{rest}"),
    }
}

// `catch`: a throw (a subject that is no valid header value, say) comes
// back as an error instead of unwinding through wasm.
#[wasm_bindgen(module = "/src/worker/origin.js")]
extern "C" {
    #[wasm_bindgen(js_name = forwardedHeaders, catch)]
    fn forwarded_headers_js(
        incoming: &web_sys::Headers,
        credentials: &js_sys::Array,
        method: Option<&str>,
        subject: Option<&str>,
        claims: Option<String>,
    ) -> Result<web_sys::Headers, JsValue>;

    #[wasm_bindgen(js_name = fetchOrigin, catch)]
    fn fetch_origin(
        request: &web_sys::Request,
        url: &str,
        headers: &web_sys::Headers,
        unavailable: &js_sys::Function,
    ) -> Result<js_sys::Promise, JsValue>;
}

thread_local! {
    /// The answer to a failed origin fetch: made once per instance, not per request.
    static UNAVAILABLE: Closure<dyn Fn(JsValue) -> JsValue> =
        Closure::new(|error: JsValue| into_js(Err(Failure::unavailable(&describe(&error)))));
}

/// A copy of the incoming headers without credentials or client-sent
/// `X-Auth-*` (and the rest `forwardedHeaders` drops), plus the verified identity.
fn forwarded_headers(incoming: &Headers, credentials: &js_sys::Array, identity: Option<&Identity>) -> Result<Headers, Failure> {
    let (method, subject, claims) = match identity {
        Some(identity) => (Some(identity.method), Some(identity.subject.as_str()), Some(encode_header_json(&identity.claims))),
        None => (None, None, None),
    };
    let headers = forwarded_headers_js(&incoming.0, credentials, method, subject, claims);
    headers.map(Headers).map_err(|error| Failure::internal(&describe(&error)))
}

fn describe(error: &JsValue) -> String {
    let message = error.dyn_ref::<js_sys::Error>().map(|error| String::from(error.message()));
    message.or_else(|| error.as_string()).unwrap_or_else(|| "a non-Error exception".to_owned())
}

/// The built-in origin: answers with the identity it was given.
fn echo(method: &str, path: &str, query: &str, headers: &Headers) -> Result<Response, Failure> {
    let header = |name: &str| headers.get(name).ok().flatten();
    let claims = header("x-auth-claims").and_then(|c| crate::b64::decode(&c)).and_then(|c| serde_json::from_slice::<Value>(&c).ok());
    let auth = match header("x-auth-method") {
        Some(method) => json!({"method": method, "subject": header("x-auth-subject"), "provider": header("x-auth-provider"), "claims": claims}),
        None => Value::Null,
    };
    let received: Vec<String> = headers.keys().collect();
    Ok(json_response(200, &json!({"origin": "echo", "method": method, "path": path, "query": query, "auth": auth, "headers": received}), &[])?)
}
