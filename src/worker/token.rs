//! `POST /v0/token/{audience}`: an API key in, a short-lived JWT out.
//!
//! The key may come as `{"api_key": "..."}`, `Authorization: Bearer` or
//! `X-API-Key` (`API_KEY_HEADER`). The token carries `int_id`, `key_id`, `tier`, `aud`, `iss`,
//! `iat`, `nbf`, `exp` and `jti`, plus the key's scopes as `scope` (space
//! separated, RFC 8693 section 4.2) when it has any, so that the token opens
//! the same scoped routes as the key. It is signed with the current signing key.
//!
//! A body (here and in the admin API) is read up to [`MAX_BODY`] and no
//! further: past it the answer is `413`, however the body is sent.

use super::http::{json_response, Failure};
use super::state::State;
use crate::http_auth::parse_bearer;
use crate::jwt::{Jti, Mint};
use crate::json;
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::{js_sys, web_sys, Method, Request, Response};

/// The largest request body read.
pub(crate) const MAX_BODY: usize = 16 * 1024;

pub(crate) async fn exchange(request: Request, state: &State, audience: &str, now: f64) -> Result<Response, Failure> {
    if request.method() != Method::Post {
        return Err(Failure::method_not_allowed("POST"));
    }
    if !state.config.audiences.iter().any(|allowed| allowed == audience) {
        return Err(Failure::not_found("unknown audience"));
    }
    let body = read_body(&request).await?;
    let api_key = presented_key(&request, &body, state.gate.api_key_header())?;
    let record = state.api_keys.verify(&api_key, now as u64).await?;
    if !record.allows_audience(audience) {
        // As in M-Lab, where each audience has its own keys: unknown here.
        return Err(Failure::unauthorized("the API key was not issued for this audience"));
    }
    let mint = Mint {
        issuer: Some(state.config.issuer.clone()),
        audience: vec![audience.to_owned()],
        // A token never outlives the key it was exchanged for.
        expires_in: Some(record.expires_at.map_or(state.config.token_lifetime, |at| state.config.token_lifetime.min(at.saturating_sub(now as u64)))),
        not_before: Some(0),
        jti: Jti::Random,
        current_time: Some(now as u64),
        ..Mint::default()
    };
    let mut claims = Map::new();
    claims.insert("int_id".into(), record.integration_id.into());
    claims.insert("key_id".into(), record.key_id.into());
    claims.insert("tier".into(), record.tier.into());
    if !record.scopes.is_empty() {
        claims.insert("scope".into(), record.scopes.join(" ").into());
    }
    let token = state.signing.sign(&state.config.kek, &mint, &claims, now)
        .await?
        .ok_or_else(|| Failure::internal("no signing key: provision one with POST /admin/signing-keys/rotate or SIGNING_JWK"))?;
    Ok(json_response(200, &json!({ "token": token }), &[])?)
}

/// The body, refused with 413 above [`MAX_BODY`] whatever Content-Length
/// claims: a longer stream is cancelled as soon as it passes the limit.
pub(crate) async fn read_body(request: &Request) -> Result<Vec<u8>, Failure> {
    let declared = request.headers().get("content-length").ok().flatten().and_then(|l| l.parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_BODY) {
        return Err(Failure::too_large());
    }
    let unreadable = |_: JsValue| Failure::bad_request("the request body cannot be read");
    let pending = read_body_js(request.inner(), MAX_BODY).map_err(unreadable)?;
    let body = JsFuture::from(pending).await.map_err(unreadable)?;
    if body.is_null() {
        return Err(Failure::too_large());
    }
    let bytes = body.dyn_into::<js_sys::Uint8Array>().map_err(|_| Failure::internal("readBody resolved to no Uint8Array"))?;
    Ok(bytes.to_vec())
}

// `catch`: a throw comes back as an error instead of unwinding through wasm
// (a failing stream rejects the promise, an error all the same).
#[wasm_bindgen(module = "/src/worker/body.js")]
extern "C" {
    #[wasm_bindgen(js_name = readBody, catch)]
    fn read_body_js(request: &web_sys::Request, limit: usize) -> Result<js_sys::Promise, JsValue>;
}

/// A JSON object body, or none.
pub(crate) fn json_body(body: &[u8]) -> Result<Option<Map<String, Value>>, Failure> {
    if body.is_empty() {
        return Ok(None);
    }
    json::parse_object(body).map(Some).map_err(|_| Failure::bad_request("the body is not a JSON object"))
}

fn presented_key(request: &Request, body: &[u8], api_key_header: &str) -> Result<String, Failure> {
    if let Some(body) = json_body(body)? {
        match body.get("api_key") {
            Some(Value::String(key)) => return Ok(key.clone()),
            Some(_) => return Err(Failure::bad_request("\"api_key\" must be a string")),
            None => {}
        }
    }
    let header = |name: &str| request.headers().get(name).ok().flatten();
    if let Some(authorization) = header("authorization") {
        return parse_bearer(&authorization).map(str::to_owned).map_err(|_| Failure::unauthorized("malformed Authorization header"));
    }
    header(api_key_header).ok_or_else(|| Failure::bad_request("no API key: send {\"api_key\": ...}, a Bearer token or the API-key header"))
}
