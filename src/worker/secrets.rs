//! Third-party secrets the gateway adds to forwarded requests (a rule's
//! `inject`, see [`crate::inject`]): stored by the admin API, sealed with
//! `KEY_ENCRYPTION_KEY` in KV under `secret:<name>` (the name is the sealing
//! context, so a value copied under another name does not open), and never
//! returned by any route.
//!
//! An isolate keeps an opened secret for [`TTL_SECONDS`]: a change made here
//! counts at once in this isolate, elsewhere within that time (plus KV's
//! spreading, up to a minute). Only names the policy injects are ever kept,
//! so the cache is bounded by the policy.

use super::http::{json_response, Failure};
use super::kv::Kv;
use super::state::State;
use super::token::{json_body, read_body};
use crate::at_rest::Kek;
use crate::inject::{is_header_value, is_secret_name, Injection};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use worker::{Method, Request, Response};

/// How long an isolate keeps an opened secret.
const TTL_SECONDS: f64 = 60.0;
/// The longest secret value, in bytes.
const MAX_VALUE_BYTES: usize = 4096;
const PREFIX: &str = "secret:";

/// A secret as KV holds it.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    sealed: String,
    updated_at: u64,
}

/// Opened secrets, per isolate: name to (value, when it was read), and a
/// count of changes made here, so that a read that raced a change is not kept.
#[derive(Default)]
pub(crate) struct Secrets {
    opened: RefCell<HashMap<String, (String, f64)>>,
    changes: std::cell::Cell<u64>,
}

impl Secrets {
    /// The headers `injections` add, rendered with their secrets. A secret the
    /// policy names but nobody stored is our configuration's fault: 500.
    pub(crate) async fn render(&self, injections: &[Injection], kv: &Kv, kek: &Kek, now: f64) -> std::result::Result<Vec<(String, String)>, Failure> {
        let mut values = HashMap::new();
        for name in injections.iter().flat_map(Injection::secret_names) {
            if !values.contains_key(name) {
                values.insert(name, self.value(name, kv, kek, now).await?);
            }
        }
        let lookup = |name: &str| values.get(name).and_then(|value| value.as_deref());
        injections
            .iter()
            .map(|injection| match injection.render(lookup) {
                Ok(value) => Ok((injection.header.clone(), value)),
                Err(name) => Err(Failure::internal(&format!("the policy injects the secret \"{name}\", which is not stored or cannot stand in a header"))),
            })
            .collect()
    }

    async fn value(&self, name: &str, kv: &Kv, kek: &Kek, now: f64) -> Result<Option<String>> {
        if let Some((value, read_at)) = self.opened.borrow().get(name) {
            if now - read_at < TTL_SECONDS {
                return Ok(Some(value.clone()));
            }
        }
        let changes = self.changes.get();
        let Some(stored) = kv.get_json::<Stored>(&format!("{PREFIX}{name}")).await? else { return Ok(None) };
        let value = String::from_utf8(kek.open(&format!("{PREFIX}{name}"), &stored.sealed)?).map_err(|_| Error::AtRestInvalid("a stored secret is not UTF-8"))?;
        if self.changes.get() == changes {
            self.opened.borrow_mut().insert(name.to_owned(), (value.clone(), now));
        }
        Ok(Some(value))
    }

    fn forget(&self, name: &str) {
        self.changes.set(self.changes.get() + 1);
        self.opened.borrow_mut().remove(name);
    }
}

/// `/admin/secrets` and `/admin/secrets/{name}`.
pub(crate) async fn handle(request: &Request, name: Option<&str>, state: &State, now: u64) -> std::result::Result<Response, Failure> {
    match (name, request.method()) {
        (None, Method::Get) => list(&state.kv).await,
        (None, _) => Err(Failure::method_not_allowed("GET")),
        (Some(name), _) if !is_secret_name(name) => Err(Failure::not_found("secret names are 1 to 64 of A-Z a-z 0-9 - _ .")),
        (Some(name), Method::Put) => put(name, &read_body(request).await?, state, now).await,
        (Some(name), Method::Delete) => delete(name, state).await,
        (Some(_), _) => Err(Failure::method_not_allowed("PUT, DELETE")),
    }
}

async fn put(name: &str, body: &[u8], state: &State, now: u64) -> std::result::Result<Response, Failure> {
    let body = json_body(body)?.ok_or_else(|| Failure::bad_request("a JSON body {\"value\": \"...\"} is required"))?;
    let value = match body.get("value") {
        Some(Value::String(value)) => value,
        _ => return Err(Failure::bad_request("\"value\" must be a string")),
    };
    if value.is_empty() || value.len() > MAX_VALUE_BYTES || !is_header_value(value) {
        return Err(Failure::bad_request(format!("\"value\" must be 1 to {MAX_VALUE_BYTES} bytes that a header can hold: visible ASCII, inner spaces and tabs")));
    }
    let key = format!("{PREFIX}{name}");
    let sealed = state.config.kek.seal(&key, value.as_bytes())?;
    state.kv.put_json(&key, &Stored { sealed, updated_at: now }).await?;
    state.secrets.forget(name);
    Ok(Response::empty()?.with_status(204))
}

async fn delete(name: &str, state: &State) -> std::result::Result<Response, Failure> {
    let key = format!("{PREFIX}{name}");
    if state.kv.get_text(&key).await?.is_none() {
        return Err(Failure::not_found("no such secret"));
    }
    state.kv.delete(&key).await?;
    state.secrets.forget(name);
    Ok(Response::empty()?.with_status(204))
}

/// Names and times only: a value never leaves the Worker but in a forwarded header.
async fn list(kv: &Kv) -> std::result::Result<Response, Failure> {
    let mut secrets = Vec::new();
    for key in kv.list(PREFIX).await? {
        if let Some(stored) = kv.get_json::<Stored>(&key).await? {
            secrets.push(json!({"name": key.strip_prefix(PREFIX).unwrap_or(&key), "updated_at": stored.updated_at}));
        }
    }
    Ok(json_response(200, &json!({ "secrets": secrets }), &[])?)
}
