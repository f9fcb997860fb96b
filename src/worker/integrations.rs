//! The admin API's integrations and their API keys: create an integration
//! with its first key, add keys (to rotate one without downtime), list them,
//! and delete an integration, which revokes all its keys. What a key may be
//! is decided by [`KeyRequest`]; here the body is read and the answer written.
//!
//! KV: `integration:<id>` holds the integration with its key ids,
//! `apikey:<key id>` each key's record (see [`super::api_keys`]), and
//! `apikey-used:<key id>` when it was last used. Listing never shows a hash.

use super::http::{json_response, Failure};
use super::kv::{api_key_used_name, Kv};
use super::state::State;
use super::token::{json_body, read_body};
use crate::apikey::{ApiKeyRecord, KeyRequest, KeyStore};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use worker::{Method, Request, Response};

/// An integration as KV holds it.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Integration {
    integration_id: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    tier: u32,
    #[serde(default)]
    scopes: Vec<String>,
    created_at: u64,
    /// Absent for integrations made before it was kept: their keys are found by a scan.
    #[serde(default)]
    key_ids: Option<Vec<String>>,
}

/// `/admin/integrations...`; `rest` is what follows `/admin/integrations`.
pub(crate) async fn handle(request: &Request, rest: &str, state: &State, now: u64) -> Result<Response, Failure> {
    let method = request.method();
    let rest = rest.trim_start_matches('/');
    match (rest.split_once('/'), method) {
        (None, Method::Post) if rest.is_empty() => create(&read_body(request).await?, state, now).await,
        (None, Method::Get) if rest.is_empty() => list(state).await,
        (None, _) if rest.is_empty() => Err(Failure::method_not_allowed("GET, POST")),
        (None, Method::Get) => Ok(json_response(200, &show(state, &find(state, rest).await?).await?, &[])?),
        (None, Method::Delete) => delete(state, rest).await,
        (None, _) => Err(Failure::method_not_allowed("GET, DELETE")),
        (Some((id, "keys")), Method::Post) => add_key(&read_body(request).await?, state, id, now).await,
        (Some((_, "keys")), _) => Err(Failure::method_not_allowed("POST")),
        (Some(_), _) => Err(Failure::not_found("no such admin route")),
    }
}

fn integration_name(id: &str) -> String {
    format!("integration:{id}")
}

fn is_integration_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 128 && id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

async fn create(body: &[u8], state: &State, now: u64) -> Result<Response, Failure> {
    let body = object(body)?;
    let id = match body.get("integration_id") {
        Some(Value::String(id)) if is_integration_id(id) => id.clone(),
        _ => return Err(Failure::bad_request("\"integration_id\" must be 1 to 128 of A-Z a-z 0-9 - _ .")),
    };
    let description = match body.get("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) if text.len() <= 256 => Some(text.clone()),
        Some(_) => return Err(Failure::bad_request("\"description\" must be a string of at most 256 bytes")),
    };
    let grants = key_request(&body, state, now)?;
    if state.kv.get_text(&integration_name(&id)).await?.is_some() {
        return Err(Failure::new(409, "conflict", format!("the integration exists: add a key with POST /admin/integrations/{id}/keys")));
    }
    let integration = Integration { integration_id: id, description, tier: grants.tier, scopes: grants.scopes.clone(), created_at: now, key_ids: Some(Vec::new()) };
    issue(state, integration, grants, now).await
}

async fn add_key(body: &[u8], state: &State, id: &str, now: u64) -> Result<Response, Failure> {
    let grants = key_request(&object(body)?, state, now)?;
    issue(state, find(state, id).await?, grants, now).await
}

/// Makes a key with `grants`, writes it and the integration that now lists
/// it, and answers with the key in plaintext, this once.
async fn issue(state: &State, mut integration: Integration, grants: KeyRequest, now: u64) -> Result<Response, Failure> {
    let generated = state.config.api_key_format.generate().map_err(|e| Failure::internal(&e.to_string()))?;
    let record = grants.record(&generated, &integration.integration_id, now);
    let mut key_ids = keys_of(state, &integration).await?.into_iter().map(|key| key.key_id).collect::<Vec<_>>();
    key_ids.push(record.key_id.clone());
    integration.key_ids = Some(key_ids);
    state.api_keys.store().put(&record).await?;
    state.kv.put_json(&integration_name(&integration.integration_id), &integration).await?;
    let answer = json!({"integration_id": integration.integration_id, "key_id": record.key_id, "api_key": generated.token});
    Ok(json_response(201, &answer, &[])?)
}

fn key_request(body: &Map<String, Value>, state: &State, now: u64) -> Result<KeyRequest, Failure> {
    KeyRequest::from_json(body, &state.config.audiences, now).map_err(Failure::bad_request)
}

fn object(body: &[u8]) -> Result<Map<String, Value>, Failure> {
    json_body(body)?.ok_or_else(|| Failure::bad_request("a JSON body is required"))
}

async fn find(state: &State, id: &str) -> Result<Integration, Failure> {
    let found = match is_integration_id(id) {
        true => state.kv.get_json::<Integration>(&integration_name(id)).await?,
        false => None,
    };
    found.ok_or_else(|| Failure::not_found("no such integration"))
}

/// The records of an integration's keys.
async fn keys_of(state: &State, integration: &Integration) -> Result<Vec<ApiKeyRecord>, Failure> {
    let mut keys = Vec::new();
    match &integration.key_ids {
        Some(ids) => {
            for id in ids {
                keys.extend(state.api_keys.store().get(id).await?);
            }
        }
        None => {
            for name in state.kv.list("apikey:").await? {
                keys.extend(state.kv.get_json::<ApiKeyRecord>(&name).await?.filter(|key| key.integration_id == integration.integration_id));
            }
        }
    }
    Ok(keys)
}

/// An integration with its keys, as the admin API shows them.
async fn show(state: &State, integration: &Integration) -> Result<Value, Failure> {
    let mut keys = Vec::new();
    for key in keys_of(state, integration).await? {
        keys.push(key_view(&state.kv, key).await?);
    }
    Ok(json!({
        "integration_id": integration.integration_id, "description": integration.description, "tier": integration.tier,
        "scopes": integration.scopes, "created_at": integration.created_at, "keys": keys,
    }))
}

async fn key_view(kv: &Kv, key: ApiKeyRecord) -> Result<Value, Failure> {
    let last_used_at = kv.get_text(&api_key_used_name(&key.key_id)).await?.and_then(|at| at.parse::<u64>().ok()).or(key.last_used_at);
    Ok(json!({
        "key_id": key.key_id, "status": key.status, "audiences": key.audiences, "expires_at": key.expires_at,
        "last_used_at": last_used_at, "tier": key.tier, "scopes": key.scopes, "created_at": key.created_at, "description": key.description,
    }))
}

async fn list(state: &State) -> Result<Response, Failure> {
    let mut integrations = Vec::new();
    for name in state.kv.list("integration:").await? {
        if let Some(integration) = state.kv.get_json::<Integration>(&name).await? {
            integrations.push(show(state, &integration).await?);
        }
    }
    Ok(json_response(200, &json!({ "integrations": integrations }), &[])?)
}

/// Revokes every key (each refused from the next request on), then forgets the integration.
async fn delete(state: &State, id: &str) -> Result<Response, Failure> {
    let integration = find(state, id).await?;
    for key in keys_of(state, &integration).await? {
        state.api_keys.revoke(&key.key_id).await?;
    }
    state.kv.delete(&integration_name(id)).await?;
    Ok(Response::empty()?.with_status(204))
}
