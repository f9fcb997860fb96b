//! The admin routes for signing keys (behind the admin token, see [`super::admin`]):
//!
//! - `GET /admin/signing-keys`: every stored key by its public half and status
//! - `POST /admin/signing-keys`: import `{"key", "activate"}`, `201 {"kid"}`
//! - `POST /admin/signing-keys/rotate`: a new current key, `201 {"kid"}`
//! - `POST /admin/signing-keys/{kid}/activate`: a staged key becomes current
//!
//! What a key must be, and what activation does, is decided by the core
//! ([`crate::signing_keys`]); this only translates to HTTP.

use super::http::{json_response, Failure};
use super::state::State;
use super::token::{json_body, read_body};
use crate::signing_keys::{ImportRequest, Placement, Refusal};
use serde_json::{json, Value};
use worker::{Method, Request, Response};

/// `path` is the admin path, `/admin/signing-keys` or under it.
pub(crate) async fn handle(request: &Request, path: &str, state: &State, now: u64) -> Result<Response, Failure> {
    let rest = path.strip_prefix("/admin/signing-keys").unwrap_or_default();
    match (rest, request.method()) {
        ("", Method::Get) => list(state, now).await,
        ("", Method::Post) => import(&read_body(request).await?, state, now).await,
        ("", _) => Err(Failure::method_not_allowed("GET, POST")),
        ("/rotate", Method::Post) => rotate(state, now).await,
        ("/rotate", _) => Err(Failure::method_not_allowed("POST")),
        (other, method) => match (other.strip_prefix('/').and_then(|kid| kid.strip_suffix("/activate")), method) {
            (Some(kid), Method::Post) => activate(state, kid, now).await,
            (Some(_), _) => Err(Failure::method_not_allowed("POST")),
            (None, _) => Err(Failure::not_found("no such admin route")),
        },
    }
}

async fn import(body: &[u8], state: &State, now: u64) -> Result<Response, Failure> {
    let body = json_body(body)?.ok_or_else(|| Failure::bad_request("a JSON body {\"key\": ..., \"activate\": true} is required"))?;
    let request = ImportRequest::parse(&body, state.config.signing_alg).map_err(Failure::bad_request)?;
    match state.signing.store(&state.config, request.key, if request.activate { Placement::Current } else { Placement::Staged }, now).await? {
        Ok(kid) => Ok(json_response(201, &json!({ "kid": kid }), &[])?),
        Err(refusal) => Err(refused(refusal)),
    }
}

async fn rotate(state: &State, now: u64) -> Result<Response, Failure> {
    let kid = state.signing.rotate(&state.config, now).await?;
    Ok(json_response(201, &json!({ "kid": kid }), &[])?)
}

async fn activate(state: &State, kid: &str, now: u64) -> Result<Response, Failure> {
    match state.signing.activate(&state.config, kid, now).await? {
        Ok(()) => Ok(json_response(200, &json!({ "kid": kid }), &[])?),
        Err(refusal) => Err(refused(refusal)),
    }
}

/// Public halves and statuses only: nothing private leaves the Worker.
async fn list(state: &State, now: u64) -> Result<Response, Failure> {
    let index = state.signing.index(now as f64).await?.unwrap_or_default();
    let keys: Vec<Value> = index
        .keys
        .iter()
        .map(|entry| json!({"kid": entry.kid, "alg": entry.alg, "status": entry.status(&index, now), "created": entry.created, "since": entry.since, "retires": entry.retires, "public_jwk": entry.public_jwk}))
        .collect();
    Ok(json_response(200, &json!({ "keys": keys }), &[])?)
}

fn refused(refusal: Refusal) -> Failure {
    match refusal {
        Refusal::UnknownKid => Failure::not_found("no signing key has this kid"),
        Refusal::Conflict(why) => Failure::new(409, "conflict", why),
    }
}
