//! One Durable Object per API key, named `key:<key id>`, that knows whether
//! the key is revoked. KV spreads a revoked record in up to a minute and an
//! isolate remembers a verified key for 30 s; the object answers the same
//! everywhere at once, so the verifier asks it on every use of a key (see
//! `KeyStore::revoked`) and revocation counts from the next request.
//!
//! One object per key, not one for all: each key's checks go to its own
//! object, so keys do not queue behind each other. The object stores
//! nothing until its key is revoked.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::rc::Rc;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use worker::durable::Storage;
use worker::wasm_bindgen_futures::future_to_promise;
use worker::{js_sys, web_sys, worker_sys};

/// The one thing the object stores, once revoked.
const REVOKED: &str = "revoked";

/// What the Worker asks of a key's object.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum KeyCall {
    /// Answers `200 {"revoked": bool}`.
    Status,
    /// Answers `204`; revoking twice is no error.
    Revoke,
}

/// The Durable Object class (exported by `entry.js` as `KeyStatusObject`).
#[wasm_bindgen]
pub struct KeyStatusObject {
    storage: Rc<Storage>,
}

#[wasm_bindgen]
impl KeyStatusObject {
    #[wasm_bindgen(constructor)]
    pub fn new(state: worker_sys::DurableObjectState, _env: JsValue) -> KeyStatusObject {
        KeyStatusObject { storage: Rc::new(worker::durable::State::from(state).storage()) }
    }

    /// One [`KeyCall`] in the request body; the answer as a JSON response.
    pub fn fetch(&self, request: web_sys::Request) -> js_sys::Promise {
        let storage = Rc::clone(&self.storage);
        future_to_promise(async move {
            let (status, body) = match super::objects::read_call::<KeyCall>(request).await? {
                Some(call) => answer(&storage, call).await.unwrap_or_else(|error| (500, json!({"error": "storage", "detail": error.to_string()}))),
                None => (400, json!({"error": "bad_call"})),
            };
            super::objects::respond(status, &body)
        })
    }
}

async fn answer(storage: &Storage, call: KeyCall) -> worker::Result<(u16, Value)> {
    match call {
        KeyCall::Status => {
            let revoked = storage.get::<bool>(REVOKED).await?.unwrap_or(false);
            Ok((200, json!({ "revoked": revoked })))
        }
        KeyCall::Revoke => {
            storage.put(REVOKED, true).await?;
            Ok((204, Value::Null))
        }
    }
}
