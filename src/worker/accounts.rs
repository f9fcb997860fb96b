//! The Worker's side of the accounts Durable Object: one typed call per
//! need, over the object's fetch. The object cannot be reached, or answers
//! what it should not: `StoreUnavailable`, so the request fails closed (503).

use super::accounts_object::Call;
use crate::session::{LoginLimit, Role, SessionCookie};
use crate::{Error, Result};
use serde_json::Value;
use wasm_bindgen::JsValue;
use worker::{Method, ObjectNamespace, Request, RequestInit};

/// The Durable Object binding.
pub(crate) const BINDING: &str = "ACCOUNTS";
/// The one object that holds every account.
const OBJECT_NAME: &str = "accounts";

/// An answer of the object: its status and JSON body.
pub(crate) struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    pub(crate) fn text(&self, member: &str) -> Option<&str> {
        self.body.get(member).and_then(Value::as_str)
    }

    pub(crate) fn role(&self) -> Result<Role> {
        self.text("role").and_then(|role| role.parse().ok()).ok_or(Error::StoreUnavailable("the accounts object named no role"))
    }
}

/// The accounts object, as the Worker reaches it.
pub(crate) struct Accounts(pub ObjectNamespace);

impl Accounts {
    pub(crate) async fn call(&self, call: &Call) -> Result<Answer> {
        let unreachable = |_| Error::StoreUnavailable("the accounts object cannot be reached");
        let body = serde_json::to_string(call).map_err(|_| Error::StoreUnavailable("a call cannot be written"))?;
        let stub = self.0.id_from_name(OBJECT_NAME).and_then(|id| id.get_stub()).map_err(unreachable)?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post).with_body(Some(JsValue::from_str(&body)));
        let request = Request::new_with_init("https://accounts/", &init).map_err(unreachable)?;
        let mut response = stub.fetch_with_request(request).await.map_err(unreachable)?;
        let status = response.status_code();
        let text = response.text().await.map_err(unreachable)?;
        if status >= 500 {
            worker::console_error!("edgeauth: accounts object: {status} {text}");
            return Err(Error::StoreUnavailable("the accounts object failed"));
        }
        let body = match text.is_empty() {
            true => Value::Null,
            false => serde_json::from_str(&text).map_err(|_| Error::StoreUnavailable("the accounts object answered no JSON"))?,
        };
        Ok(Answer { status, body })
    }

    /// The seconds until checks under `key` may go on, if paused.
    pub(crate) async fn paused(&self, key: &str, limit: &LoginLimit) -> Result<Option<u64>> {
        let call = Call::Paused { key: key.to_owned(), max_failures: limit.max_failures, window: limit.window };
        let answer = self.call_expecting(&call, 200).await?;
        Ok(answer.body.get("retry_after").and_then(Value::as_u64))
    }

    pub(crate) async fn failed(&self, key: &str) -> Result<()> {
        self.call_expecting(&Call::Failed { key: key.to_owned() }, 204).await.map(drop)
    }

    /// A call whose only right answer has `status`: any other fails closed.
    async fn call_expecting(&self, call: &Call, status: u16) -> Result<Answer> {
        let answer = self.call(call).await?;
        match answer.status == status {
            true => Ok(answer),
            false => Err(Error::StoreUnavailable("the accounts object answered an unexpected status")),
        }
    }

    /// The current role of a session's user, if the session is live.
    pub(crate) async fn session_role(&self, cookie: &SessionCookie, now: f64) -> Result<Role> {
        let call = Call::Session { sid: cookie.sid.clone(), username: cookie.user.clone(), now };
        let answer = self.call(&call).await?;
        match answer.status {
            200 => answer.role(),
            _ => Err(Error::CredentialRevoked),
        }
    }
}
