//! The auth gateway: every route not served by the Worker itself.
//!
//! The policy picks the credentials a route accepts; the first credential
//! presented among them decides (JWT before API key, as in Moose). On success
//! the request goes to the origin without its credentials and without any
//! client-sent `X-Auth-*` header, carrying the verified identity in
//! `X-Auth-Method`, `X-Auth-Subject` and `X-Auth-Claims` (base64url JSON).
//! In development (`ECHO_ORIGIN=true`) a built-in echo origin answers with
//! what it received, so the gateway can be tried at once.

use super::config::{encode_header_json, Origin};
use super::http::{into_js, json_response, Failure, Reply, Target};
use crate::policy::{Method as AuthMethod, Rule};
use super::providers::Provider;
use super::remote;
use super::signing;
use super::state::State;
use crate::http_auth::{parse_basic, parse_bearer};
use crate::secret_hash::verify_secret;
use crate::jwt::{Validation, Verifier};
use crate::{clock, KeySet};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::{wasm_bindgen, Closure};
use wasm_bindgen::{JsCast, JsValue};
use worker::url::form_urlencoded;
use worker::{js_sys, web_sys, Headers, Response};

/// Headers that carry credentials, removed before forwarding (with the
/// configured service-token header, whatever its name).
const CREDENTIAL_HEADERS: [&str; 3] = ["authorization", "x-api-key", "x-service-token"];

/// The names of the headers removed before forwarding, lower case, as the
/// array `forwardedHeaders` takes: made once per isolate, not per request.
pub(crate) fn credential_headers(service_token_header: &str) -> js_sys::Array {
    let names = CREDENTIAL_HEADERS.iter().copied().chain([service_token_header]);
    names.map(|name| JsValue::from_str(&name.to_ascii_lowercase())).collect()
}

/// A verified caller.
struct Identity {
    method: &'static str,
    subject: String,
    claims: Value,
    scopes: Vec<String>,
}

pub(crate) async fn forward(request: web_sys::Request, state: &State, target: &Target<'_>) -> Result<Reply, Failure> {
    let method = request.method();
    let rule = state.config.policy.rule_for(&method, target.path).ok_or_else(|| Failure::not_found("no such route"))?;
    let incoming = Headers(request.headers());
    let identity = match rule.is_public() {
        true => None,
        false => Some(authenticate(&incoming, target.query, state, rule).await?),
    };
    if let Some(identity) = &identity {
        if !rule.scopes.iter().all(|needed| identity.scopes.contains(needed)) {
            return Err(Failure::forbidden());
        }
    }
    let headers = forwarded_headers(&incoming, &state.credential_headers, identity.as_ref())?;
    match &state.config.origin {
        None => Err(Failure::not_found("no such route")),
        Some(Origin::Echo) => Ok(echo(&method, target.path, &query_without_token(target.query), &headers)?.into()),
        Some(Origin::Url(origin)) => {
            let url = format!("{origin}{}{}", target.path, query_without_token(target.query));
            // The body streams through as it came, never copied into wasm
            // memory, and the origin's response goes back as it is.
            let forwarded = UNAVAILABLE.with(|unavailable| fetch_origin(&request, &url, &headers.0, unavailable.as_ref().unchecked_ref()));
            Ok(Reply::Forwarded(forwarded.map_err(|error| Failure::unavailable(&describe(&error)))?))
        }
    }
}

async fn authenticate(headers: &Headers, query: Option<&str>, state: &State, rule: &Rule) -> Result<Identity, Failure> {
    let header = |name: &str| headers.get(name).ok().flatten();
    let authorization = header("authorization");
    let scheme = authorization.as_deref().and_then(|a| a.split(' ').next()).map(str::to_ascii_lowercase);
    let bearer = match (scheme.as_deref(), &authorization) {
        (Some("bearer"), Some(value)) => Some(parse_bearer(value).map(str::to_owned).map_err(|_| Failure::unauthorized("malformed Bearer header"))?),
        (Some("basic"), _) => None,
        (_, Some(_)) => return Err(Failure::unauthorized("unsupported Authorization scheme")),
        (_, None) => None,
    };
    let looks_like_jwt = |token: &String| token.matches('.').count() == 2;
    for method in rule.methods() {
        match method {
            AuthMethod::Jwt => {
                if let Some(token) = bearer.as_ref().filter(|t| looks_like_jwt(t)) {
                    return jwt_identity(token, state).await;
                }
            }
            AuthMethod::ApiKey => {
                if let Some(key) = header("x-api-key").or_else(|| bearer.clone().filter(|t| !looks_like_jwt(t))) {
                    let record = state.api_keys.verify(&key, clock::now() as u64).await?;
                    let claims = json!({"key_id": record.key_id, "int_id": record.integration_id, "tier": record.tier, "scopes": record.scopes});
                    return Ok(Identity { method: "api_key", subject: record.integration_id, claims, scopes: record.scopes });
                }
            }
            AuthMethod::ServiceToken => {
                let source = &state.config.service_token;
                let upgrade = header("upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
                if let Some(token) = source.extract(header(source.header_name()).as_deref(), query, upgrade)? {
                    let hash = state.config.service_token_hash.as_deref().ok_or_else(|| Failure::internal("no SERVICE_TOKEN_HASH"))?;
                    verified_secret(state, "service", token, hash).await?;
                    let subject = "service".to_owned();
                    return Ok(Identity { method: "service_token", subject, claims: json!({}), scopes: Vec::new() });
                }
            }
            AuthMethod::Basic => {
                if let (Some("basic"), Some(value)) = (scheme.as_deref(), &authorization) {
                    let credentials = parse_basic(value)?;
                    let hash = state.config.basic_users.get(&credentials.user_id).ok_or_else(|| Failure::unauthorized("unknown basic user"))?;
                    verified_secret(state, &credentials.user_id, &credentials.password, hash).await?;
                    let subject = credentials.user_id;
                    return Ok(Identity { method: "basic", claims: json!({"user": subject}), subject, scopes: Vec::new() });
                }
            }
        }
    }
    Err(Failure::unauthenticated())
}

/// Checks `secret`, presented for `who`, against its stored hash, paying the
/// hash (PBKDF2, bcrypt) once per cache TTL. The cache is keyed by a hash of
/// who, secret and stored hash together, so a changed hash is checked anew.
async fn verified_secret(state: &State, who: &str, secret: &str, hash: &str) -> Result<(), Failure> {
    let now = clock::now() as u64;
    let cache_key = [who.as_bytes(), b"\0", secret.as_bytes(), b"\0", hash.as_bytes()].concat();
    if state.verified_secrets.get(&cache_key, now).is_some() {
        return Ok(());
    }
    if !verify_secret(secret.as_bytes(), hash)? {
        return Err(Failure::unauthorized("wrong secret"));
    }
    state.verified_secrets.insert(&cache_key, who.to_owned(), now);
    Ok(())
}

async fn jwt_identity(token: &str, state: &State) -> Result<Identity, Failure> {
    let jwt = match provider_for(token, state)? {
        Provider::Own => own_verifier(state).await?.verify(token)?,
        Provider::Static(verifier) => verifier.verify(token)?,
        Provider::Hmac(verifier) => verifier.verify(token)?,
        Provider::Remote { url, validation } => remote::verifier(url, validation).await?.verify(token)?,
    };
    let claim = |name: &str| jwt.claims.get(name);
    let subject = ["sub", "int_id"].iter().find_map(|name| claim(name).and_then(Value::as_str)).unwrap_or_default().to_owned();
    let scopes = match (claim("scope"), claim("scopes")) {
        (Some(Value::String(scope)), _) => scope.split_whitespace().map(str::to_owned).collect(),
        (_, Some(Value::Array(items))) => items.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    };
    let claims = Value::Object(jwt.claims.clone());
    Ok(Identity { method: "jwt", subject, claims, scopes })
}

/// The provider of the issuer the token claims (read before verifying, only
/// to choose whose keys and rules verify it).
fn provider_for<'a>(token: &str, state: &'a State) -> Result<&'a Provider, Failure> {
    let claimed = crate::jwt::claimed_issuer(token).ok_or_else(|| Failure::unauthorized("a JWT without an issuer"))?;
    let own = &state.config.issuer;
    state
        .config
        .providers
        .iter()
        .find(|(issuer, _)| issuer.as_ref().unwrap_or(own) == &claimed)
        .map(|(_, provider)| provider)
        .ok_or_else(|| Failure::unauthorized("a JWT from an issuer no provider serves"))
}

thread_local! {
    /// The verifier for this Worker's own tokens, rebuilt when the key index changes.
    static OWN: RefCell<Option<(String, Rc<Verifier<KeySet>>)>> = const { RefCell::new(None) };
}

async fn own_verifier(state: &State) -> Result<Rc<Verifier<KeySet>>, Failure> {
    let now = clock::now();
    let index = signing::index(&state.kv, now).await?.ok_or_else(|| Failure::unauthorized("no signing keys yet"))?;
    // The keys live now: a key leaves the verifier when it retires, even if
    // the index itself has not changed since.
    let live = |k: &&signing::Entry| k.retires.is_none_or(|retires| retires as f64 > now);
    let version = index.keys.iter().filter(live).map(|k| k.kid.as_str()).collect::<Vec<_>>().join(",");
    if let Some(verifier) = OWN.with(|own| own.borrow().as_ref().filter(|(v, _)| *v == version).map(|(_, verifier)| Rc::clone(verifier))) {
        return Ok(verifier);
    }
    let keys = signing::key_set(&index, now as u64).map_err(|e| Failure::internal(&e.to_string()))?;
    let config = &state.config;
    let validation = Validation { issuers: vec![config.issuer.clone()], audiences: config.audiences.clone(), ..Validation::new(&[config.signing_alg]) };
    let verifier = Rc::new(Verifier::new(keys, validation, crate::jwt::DEFAULT_CAPACITY));
    OWN.with(|own| *own.borrow_mut() = Some((version, Rc::clone(&verifier))));
    Ok(verifier)
}

/// The query string minus a service token passed as `token` (WebSocket
/// upgrades); a query without one passes through exactly as it came.
fn query_without_token(query: Option<&str>) -> String {
    let Some(query) = query else { return String::new() };
    let pairs = || form_urlencoded::parse(query.as_bytes());
    if !pairs().any(|(name, _)| name == "token") {
        return format!("?{query}");
    }
    let kept = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs().filter(|(name, _)| name != "token")).finish();
    match kept.is_empty() {
        true => String::new(),
        false => format!("?{kept}"),
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
/// `X-Auth-*`, plus the verified identity.
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
        Some(method) => json!({"method": method, "subject": header("x-auth-subject"), "claims": claims}),
        None => Value::Null,
    };
    let received: Vec<String> = headers.keys().collect();
    Ok(json_response(200, &json!({"origin": "echo", "method": method, "path": path, "query": query, "auth": auth, "headers": received}), &[])?)
}
