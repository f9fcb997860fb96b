//! The admin API, behind `Authorization: Bearer <admin token>`.
//!
//! The token is compared, by its SHA-256 and in constant time, with
//! `ADMIN_TOKEN_HASH`. Every change is written to KV before the response.

use super::http::{json_response, Failure};
use super::{integrations, secrets};
use super::signing_admin;
use super::state::State;
use crate::apikey::ApiKeyRecord;
use crate::http_auth::parse_bearer;
use crate::secret_hash::ct;
use crate::Error;
use ring::digest::{digest, SHA256};
use serde_json::json;
use worker::{Method, Request, Response};

pub(crate) async fn handle(request: Request, state: &State, path: &str, now: f64) -> Result<Response, Failure> {
    authorize(&request, state)?;
    let method = request.method();
    match (path.trim_end_matches('/'), method) {
        (other, _) if other == "/admin/integrations" || other.starts_with("/admin/integrations/") => {
            integrations::handle(&request, other.strip_prefix("/admin/integrations").unwrap_or_default(), state, now as u64).await
        }
        ("/admin/keys", Method::Get) => list_keys(state).await,
        ("/admin/keys", _) => Err(Failure::method_not_allowed("GET")),
        (other, _) if other == "/admin/signing-keys" || other.starts_with("/admin/signing-keys/") => signing_admin::handle(&request, other, state, now as u64).await,
        ("/admin/secrets", _) => secrets::handle(&request, None, state, now as u64).await,
        (other, _) if other.starts_with("/admin/secrets/") => secrets::handle(&request, other.strip_prefix("/admin/secrets/"), state, now as u64).await,
        (other, method) => match (other.strip_prefix("/admin/keys/"), method) {
            (Some(key_id), Method::Delete) => revoke(state, key_id).await,
            (Some(_), _) => Err(Failure::method_not_allowed("DELETE")),
            (None, _) => Err(Failure::not_found("no such admin route")),
        },
    }
}

/// The admin bearer token, compared by its SHA-256 in constant time.
pub(crate) fn authorize(request: &Request, state: &State) -> Result<(), Failure> {
    let authorization = request.headers().get("authorization").ok().flatten().unwrap_or_default();
    let token = parse_bearer(&authorization).map_err(|_| Failure::unauthorized("admin: no bearer token"))?;
    let presented = digest(&SHA256, token.as_bytes());
    if !ct::equal(presented.as_ref(), &state.config.admin_token_sha256) {
        return Err(Failure::unauthorized("admin: wrong token"));
    }
    Ok(())
}

async fn list_keys(state: &State) -> Result<Response, Failure> {
    let mut keys = Vec::new();
    for name in state.kv.list("apikey:").await? {
        if let Some(record) = state.kv.get_json::<ApiKeyRecord>(&name).await? {
            let mut listed = serde_json::to_value(&record).unwrap_or_default();
            if let Some(fields) = listed.as_object_mut() {
                fields.remove("hash");
            }
            keys.push(listed);
        }
    }
    Ok(json_response(200, &json!({ "keys": keys }), &[])?)
}

async fn revoke(state: &State, key_id: &str) -> Result<Response, Failure> {
    match state.api_keys.revoke(key_id).await {
        Err(Error::CredentialRejected) => Err(Failure::not_found("no such key")),
        Err(other) => Err(other.into()),
        Ok(()) => Ok(Response::empty()?.with_status(204)),
    }
}

