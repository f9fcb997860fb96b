//! Calling our Durable Objects, both sides of it: the Worker sends one JSON
//! call per fetch to a named object and reads a status with a JSON body; an
//! object turns its answer into that response. The object cannot be reached,
//! fails, or answers what no call expects: `StoreUnavailable`, so the request
//! fails closed (503).

use crate::{Error, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::JsValue;
use worker::wasm_bindgen_futures::JsFuture;
use worker::{web_sys, Method, ObjectNamespace, Request, RequestInit};

/// An answer of an object: its status and JSON body.
pub(crate) struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    pub(crate) fn text(&self, member: &str) -> Option<&str> {
        self.body.get(member).and_then(Value::as_str)
    }

    /// This answer if it has `status`, the only right one for its call: any other fails closed.
    pub(crate) fn expecting(self, status: u16) -> Result<Answer> {
        match self.status == status {
            true => Ok(self),
            false => Err(Error::StoreUnavailable("a Durable Object answered an unexpected status")),
        }
    }
}

/// Sends `call` to the object named `name` in `namespace`.
pub(crate) async fn call(namespace: &ObjectNamespace, name: &str, call: &impl Serialize) -> Result<Answer> {
    let unreachable = |_| Error::StoreUnavailable("a Durable Object cannot be reached");
    let body = serde_json::to_string(call).map_err(|_| Error::StoreUnavailable("a call cannot be written"))?;
    let stub = namespace.id_from_name(name).and_then(|id| id.get_stub()).map_err(unreachable)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(JsValue::from_str(&body)));
    let request = Request::new_with_init("https://object/", &init).map_err(unreachable)?;
    let mut response = stub.fetch_with_request(request).await.map_err(unreachable)?;
    let status = response.status_code();
    let text = response.text().await.map_err(unreachable)?;
    if status >= 500 {
        worker::console_error!("edgeauth: Durable Object {name}: {status} {text}");
        return Err(Error::StoreUnavailable("a Durable Object failed"));
    }
    let body = match text.is_empty() {
        true => Value::Null,
        false => serde_json::from_str(&text).map_err(|_| Error::StoreUnavailable("a Durable Object answered no JSON"))?,
    };
    Ok(Answer { status, body })
}

/// An object's answer as its response; a 204 has no body at all, not even `null`.
pub(crate) fn respond(status: u16, body: &Value) -> std::result::Result<JsValue, JsValue> {
    let init = web_sys::ResponseInit::new();
    init.set_status(status);
    let body = (status != 204).then(|| body.to_string());
    web_sys::Response::new_with_opt_str_and_init(body.as_deref(), &init).map(JsValue::from)
}

/// The call in an object's request body; `None` for one it cannot read.
pub(crate) async fn read_call<T: DeserializeOwned>(request: web_sys::Request) -> std::result::Result<Option<T>, JsValue> {
    let text = JsFuture::from(request.text()?).await?.as_string().unwrap_or_default();
    Ok(serde_json::from_str(&text).ok())
}
