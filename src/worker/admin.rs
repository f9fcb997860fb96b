//! The admin API, behind `Authorization: Bearer <admin token>`.
//!
//! The token is compared, by its SHA-256 and in constant time, with
//! `ADMIN_TOKEN_HASH`. Every change is written to KV before the response.

use super::http::{json_response, Failure};
use super::secrets;
use super::signing_admin;
use super::state::State;
use super::token::{json_body, read_body};
use crate::apikey::{ApiKeyRecord, KeyStore};
use crate::http_auth::parse_bearer;
use crate::secret_hash::ct;
use crate::Error;
use ring::digest::{digest, SHA256};
use serde_json::{json, Map, Value};
use worker::{Method, Request, Response};

pub(crate) async fn handle(request: Request, state: &State, path: &str, now: f64) -> Result<Response, Failure> {
    authorize(&request, state)?;
    let method = request.method();
    match (path.trim_end_matches('/'), method) {
        ("/admin/integrations", Method::Post) => create_integration(&read_body(&request).await?, state, now as u64).await,
        ("/admin/integrations", _) => Err(Failure::method_not_allowed("POST")),
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

async fn create_integration(body: &[u8], state: &State, now: u64) -> Result<Response, Failure> {
    let body = json_body(body)?.ok_or_else(|| Failure::bad_request("a JSON body is required"))?;
    let integration_id = text(&body, "integration_id")?.ok_or_else(|| Failure::bad_request("\"integration_id\" is required"))?;
    if integration_id.is_empty() || integration_id.len() > 128 || !integration_id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
        return Err(Failure::bad_request("\"integration_id\" must be 1 to 128 of A-Z a-z 0-9 - _ ."));
    }
    let tier = match body.get("tier") {
        None => 0,
        Some(tier) => tier.as_u64().and_then(|t| u32::try_from(t).ok()).ok_or_else(|| Failure::bad_request("\"tier\" must be a whole number"))?,
    };
    let scopes = match body.get("scopes") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|s| s.as_str().filter(|s| is_scope_token(s)).map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| Failure::bad_request("\"scopes\" must be non-empty strings of visible ASCII without spaces"))?,
        Some(_) => return Err(Failure::bad_request("\"scopes\" must be an array of strings")),
    };
    let generated = state.config.api_key_format.generate().map_err(|e| Failure::internal(&e.to_string()))?;
    let mut record = ApiKeyRecord::new(&generated, &integration_id, now);
    record.tier = tier;
    record.scopes = scopes.clone();
    record.description = text(&body, "key_description")?;
    let integration = json!({"integrationId": integration_id, "description": text(&body, "description")?, "tier": tier, "scopes": scopes, "createdAt": now});
    state.kv.put_json(&format!("integration:{integration_id}"), &integration).await?;
    state.api_keys.store().put(&record).await?;
    let answer = json!({"integration_id": integration_id, "key_id": record.key_id, "api_key": generated.token});
    Ok(json_response(201, &answer, &[])?)
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

fn text(body: &Map<String, Value>, name: &str) -> Result<Option<String>, Failure> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Failure::bad_request(format!("\"{name}\" must be a string"))),
    }
}

/// A scope as RFC 6749 section 3.3 has it: visible ASCII but `"` and `\`,
/// so that scopes join into a space-separated `scope` claim and split back.
fn is_scope_token(scope: &str) -> bool {
    !scope.is_empty() && scope.bytes().all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
}
