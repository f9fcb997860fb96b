//! The Worker's side of the accounts Durable Object: one typed call per
//! need (through [`super::objects`], so an object that cannot be reached, or
//! answers what it should not, fails the request closed).

use super::accounts_object::Call;
pub(crate) use super::objects::Answer;
use super::objects;
use crate::session::{LoginLimit, Role, SessionCookie};
use crate::{Error, Result};
use serde_json::Value;
use worker::ObjectNamespace;

/// The Durable Object binding.
pub(crate) const BINDING: &str = "ACCOUNTS";
/// The one object that holds every account.
const OBJECT_NAME: &str = "accounts";

/// The accounts object, as the Worker reaches it.
pub(crate) struct Accounts(pub ObjectNamespace);

impl Accounts {
    pub(crate) async fn call(&self, call: &Call) -> Result<Answer> {
        objects::call(&self.0, OBJECT_NAME, call).await
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

    async fn call_expecting(&self, call: &Call, status: u16) -> Result<Answer> {
        self.call(call).await?.expecting(status)
    }

    /// The current role of a session's user, if the session is live.
    pub(crate) async fn session_role(&self, cookie: &SessionCookie, now: f64) -> Result<Role> {
        let call = Call::Session { sid: cookie.sid.clone(), username: cookie.user.clone(), now };
        let answer = self.call(&call).await?;
        match answer.status {
            200 => role(&answer),
            401 => Err(Error::CredentialRevoked),
            _ => Err(Error::StoreUnavailable("the accounts object answered an unexpected status")),
        }
    }
}

/// The role an answer names.
pub(crate) fn role(answer: &Answer) -> Result<Role> {
    answer.text("role").and_then(|role| role.parse().ok()).ok_or(Error::StoreUnavailable("the accounts object named no role"))
}
