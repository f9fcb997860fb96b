//! The accounts Durable Object: dashboard users, their sessions and failed
//! logins, in the object's SQLite storage. One object (named `accounts`)
//! holds them all, so counting and revoking are exact: a request to it runs
//! to its end before the next one starts, so two racing signups cannot both
//! create the first admin, and a session deleted here is gone for every
//! location at once.
//!
//! The schema lives here and nowhere else. The Worker speaks to the object
//! with one [`Call`] per request (JSON); password hashing stays in the Worker,
//! so a slow hash never holds the object up. Decisions (limits, roles) come
//! from [`crate::session`].

use crate::session::{LoginLimit, Role};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::rc::Rc;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use worker::wasm_bindgen_futures::future_to_promise;
use worker::{js_sys, web_sys, worker_sys, SqlStorage, SqlStorageValue};

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS users (username TEXT PRIMARY KEY, hash TEXT NOT NULL, role TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, username TEXT NOT NULL, expires REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS failures (key TEXT NOT NULL, at REAL NOT NULL, attempt TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS failures_by_key ON failures (key, at);
    CREATE INDEX IF NOT EXISTS failures_by_time ON failures (at);
    CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (username);
    CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires);
";

/// Failures older than this are forgotten whatever the limits: no window is longer.
const FAILURES_KEPT_SECONDS: f64 = 86_400.0;

/// What the Worker asks of the object.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum Call {
    Status,
    /// Creates the first admin, only while there is no user.
    Signup { username: String, hash: String },
    /// Counts an attempt as failed under both keys (until
    /// [`Call::LoginFinish`] says otherwise) and gives the user's hash,
    /// unless a limit is reached: `key` (user and client) has the limit,
    /// `client_key` (the client, across users) [`CLIENT_BUDGET`] times it.
    LoginBegin { key: String, client_key: String, username: String, attempt: String, max_failures: usize, window: f64 },
    /// The password was right: the attempt did not fail, and a session begins,
    /// if the user's hash is still the one that was checked.
    LoginFinish { attempt: String, username: String, hash: String, sid: String, expires: f64 },
    Session { sid: String, username: String, now: f64 },
    /// Whether checks under `key` are paused by earlier failures (the gateway's limiter).
    Paused { key: String, max_failures: usize, window: f64 },
    /// Counts a failed check under `key`.
    Failed { key: String },
    Logout { sid: String },
    ListUsers,
    CreateUser { username: String, hash: String, role: Role },
    UpdateUser { username: String, role: Option<Role>, hash: Option<String> },
    DeleteUser { username: String },
}

/// How many more failures a client may have across all usernames than for one.
pub(crate) const CLIENT_BUDGET: usize = 4;

/// An answer: an HTTP status and a JSON body.
type Answer = (u16, Value);

#[derive(Deserialize)]
struct User {
    hash: String,
    role: String,
}

#[derive(Deserialize)]
struct Named {
    username: String,
    role: String,
}

#[derive(Deserialize)]
struct Count {
    n: f64,
}

#[derive(Deserialize)]
struct At {
    at: f64,
}

/// The Durable Object class (exported by `entry.js` as `AccountsObject`).
#[wasm_bindgen]
pub struct AccountsObject {
    store: Rc<Store>,
}

#[wasm_bindgen]
impl AccountsObject {
    #[wasm_bindgen(constructor)]
    pub fn new(state: worker_sys::DurableObjectState, _env: JsValue) -> AccountsObject {
        let state = worker::durable::State::from(state);
        AccountsObject { store: Rc::new(Store { sql: state.storage().sql(), ready: std::cell::Cell::new(false) }) }
    }

    /// One [`Call`] in the request body; the answer as a JSON response.
    pub fn fetch(&self, request: web_sys::Request) -> js_sys::Promise {
        let store = Rc::clone(&self.store);
        future_to_promise(async move {
            let (status, body) = match super::objects::read_call::<Call>(request).await? {
                Some(call) => store.answer(call).unwrap_or_else(|error| (500, json!({"error": "storage", "detail": error.to_string()}))),
                None => (400, json!({"error": "bad_call"})),
            };
            super::objects::respond(status, &body)
        })
    }
}

/// The object's own clock, in seconds.
fn clock() -> f64 {
    js_sys::Date::now() / 1000.0
}

struct Store {
    sql: SqlStorage,
    ready: std::cell::Cell<bool>,
}

impl Store {
    fn answer(&self, call: Call) -> worker::Result<Answer> {
        if !self.ready.get() {
            self.sql.exec(SCHEMA, None)?;
            self.ready.set(true);
        }
        match call {
            Call::Status => Ok((200, json!({"users": self.user_count()?}))),
            Call::Signup { username, hash } => self.signup(&username, &hash),
            Call::LoginBegin { key, client_key, username, attempt, max_failures, window } => {
                self.login_begin([&key, &client_key], &username, &attempt, LoginLimit { max_failures, window })
            }
            Call::LoginFinish { attempt, username, hash, sid, expires } => self.login_finish(&attempt, &username, &hash, &sid, expires),
            Call::Session { sid, username, now } => self.session(&sid, &username, now),
            Call::Paused { key, max_failures, window } => {
                let retry_after = self.retry_after(&key, LoginLimit { max_failures, window })?;
                Ok((200, json!({"retry_after": retry_after})))
            }
            Call::Failed { key } => {
                self.exec("INSERT INTO failures (key, at, attempt) VALUES (?, ?, '')", vec![key.into(), clock().into()])?;
                Ok((204, Value::Null))
            }
            Call::Logout { sid } => {
                self.exec("DELETE FROM sessions WHERE sid = ?", vec![sid.into()])?;
                Ok((204, Value::Null))
            }
            Call::ListUsers => self.list_users(),
            Call::CreateUser { username, hash, role } => self.create_user(&username, &hash, role),
            Call::UpdateUser { username, role, hash } => self.update_user(&username, role, hash),
            Call::DeleteUser { username } => self.delete_user(&username),
        }
    }

    fn exec(&self, query: &str, bindings: Vec<SqlStorageValue>) -> worker::Result<worker::SqlCursor> {
        self.sql.exec(query, Some(bindings))
    }

    fn user_count(&self) -> worker::Result<u64> {
        Ok(self.sql.exec("SELECT COUNT(*) AS n FROM users", None)?.one::<Count>()?.n as u64)
    }

    fn admin_count(&self) -> worker::Result<u64> {
        Ok(self.sql.exec("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'", None)?.one::<Count>()?.n as u64)
    }

    fn user(&self, username: &str) -> worker::Result<Option<User>> {
        Ok(self.exec("SELECT hash, role FROM users WHERE username = ?", vec![username.into()])?.to_array::<User>()?.into_iter().next())
    }

    fn signup(&self, username: &str, hash: &str) -> worker::Result<Answer> {
        if self.user_count()? > 0 {
            return Ok((409, json!({"error": "setup_done"})));
        }
        self.exec("INSERT INTO users (username, hash, role) VALUES (?, ?, 'admin')", vec![username.into(), hash.into()])?;
        Ok((201, json!({"username": username, "role": Role::Admin})))
    }

    /// The seconds until `key` may try again, on the object's own clock (so
    /// Workers whose clocks disagree count alike).
    fn retry_after(&self, key: &str, limit: LoginLimit) -> worker::Result<Option<u64>> {
        let now = clock();
        self.exec("DELETE FROM failures WHERE at < ?", vec![(now - FAILURES_KEPT_SECONDS).into()])?;
        let recent = vec![key.into(), limit.forget_before(now).into()];
        let failures: Vec<f64> = self.exec("SELECT at FROM failures WHERE key = ? AND at >= ?", recent)?.to_array::<At>()?.into_iter().map(|a| a.at).collect();
        Ok(limit.retry_after(&failures, now))
    }

    fn login_begin(&self, [key, client_key]: [&str; 2], username: &str, attempt: &str, limit: LoginLimit) -> worker::Result<Answer> {
        let client_limit = LoginLimit { max_failures: limit.max_failures.saturating_mul(CLIENT_BUDGET), ..limit };
        let paused = [self.retry_after(key, limit)?, self.retry_after(client_key, client_limit)?].into_iter().flatten().max();
        if let Some(retry_after) = paused {
            return Ok((429, json!({"retry_after": retry_after})));
        }
        for counted in [key, client_key] {
            self.exec("INSERT INTO failures (key, at, attempt) VALUES (?, ?, ?)", vec![counted.into(), clock().into(), attempt.into()])?;
        }
        let user = self.user(username)?;
        Ok((200, json!({"hash": user.as_ref().map(|u| u.hash.as_str()), "role": user.as_ref().map(|u| u.role.as_str())})))
    }

    /// A password changed or a user deleted (and perhaps made anew) while
    /// the Worker was hashing must not let this login through.
    fn login_finish(&self, attempt: &str, username: &str, hash: &str, sid: &str, expires: f64) -> worker::Result<Answer> {
        self.exec("DELETE FROM failures WHERE attempt = ?", vec![attempt.into()])?;
        self.exec("DELETE FROM sessions WHERE expires <= ?", vec![clock().into()])?;
        let user = self.user(username)?.filter(|user| user.hash == hash);
        let Some(user) = user else { return Ok((401, json!({"error": "no_such_user"}))) };
        self.exec("INSERT INTO sessions (sid, username, expires) VALUES (?, ?, ?)", vec![sid.into(), username.into(), expires.into()])?;
        Ok((200, json!({"username": username, "role": user.role})))
    }

    fn session(&self, sid: &str, username: &str, now: f64) -> worker::Result<Answer> {
        let query = "SELECT users.username AS username, users.role AS role FROM sessions JOIN users ON users.username = sessions.username
                     WHERE sessions.sid = ? AND sessions.username = ? AND sessions.expires > ?";
        let found = self.exec(query, vec![sid.into(), username.into(), now.into()])?.to_array::<Named>()?;
        match found.into_iter().next() {
            Some(user) => Ok((200, json!({"role": user.role}))),
            None => Ok((401, json!({"error": "session_ended"}))),
        }
    }

    fn list_users(&self) -> worker::Result<Answer> {
        let users = self.sql.exec("SELECT username, role FROM users ORDER BY username", None)?.to_array::<Named>()?;
        let users: Vec<Value> = users.into_iter().map(|u| json!({"username": u.username, "role": u.role})).collect();
        Ok((200, json!({"users": users})))
    }

    fn create_user(&self, username: &str, hash: &str, role: Role) -> worker::Result<Answer> {
        if self.user(username)?.is_some() {
            return Ok((409, json!({"error": "user_exists"})));
        }
        self.exec("INSERT INTO users (username, hash, role) VALUES (?, ?, ?)", vec![username.into(), hash.into(), role.as_str().into()])?;
        Ok((201, json!({"username": username, "role": role})))
    }

    /// A new role counts from the user's next request; a new password ends their sessions.
    fn update_user(&self, username: &str, role: Option<Role>, hash: Option<String>) -> worker::Result<Answer> {
        let Some(user) = self.user(username)? else { return Ok((404, json!({"error": "no_such_user"}))) };
        if user.role == "admin" && role.is_some_and(|role| role != Role::Admin) && self.admin_count()? <= 1 {
            return Ok((409, json!({"error": "last_admin"})));
        }
        if let Some(role) = role {
            self.exec("UPDATE users SET role = ? WHERE username = ?", vec![role.as_str().into(), username.into()])?;
        }
        if let Some(hash) = hash {
            self.exec("UPDATE users SET hash = ? WHERE username = ?", vec![hash.into(), username.into()])?;
            self.exec("DELETE FROM sessions WHERE username = ?", vec![username.into()])?;
        }
        let role = role.map_or(user.role, |role| role.as_str().to_owned());
        Ok((200, json!({"username": username, "role": role})))
    }

    fn delete_user(&self, username: &str) -> worker::Result<Answer> {
        let Some(user) = self.user(username)? else { return Ok((404, json!({"error": "no_such_user"}))) };
        if user.role == "admin" && self.admin_count()? <= 1 {
            return Ok((409, json!({"error": "last_admin"})));
        }
        self.exec("DELETE FROM sessions WHERE username = ?", vec![username.into()])?;
        self.exec("DELETE FROM users WHERE username = ?", vec![username.into()])?;
        Ok((204, Value::Null))
    }
}
