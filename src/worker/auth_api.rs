//! The dashboard users' API, served when sessions are configured
//! (`SESSION_SECRET` and the `ACCOUNTS` Durable Object):
//!
//! - `GET /api/auth/status`: `{"setup_required"}`, true while no user exists;
//! - `POST /api/auth/signup` `{"username", "password"}`: the first admin, once (`201`, then `409`);
//! - `POST /api/auth/login` `{"username", "password"}`: `200 {"username", "role"}` and the session cookie;
//!   `401` for a wrong password or an unknown user alike, `429` with `Retry-After` past the limit;
//! - `POST /api/auth/logout`: `204`, the session ended everywhere and the cookie cleared;
//! - `/api/admin/users[/{username}]` (an admin's session): `GET` lists, `POST` creates,
//!   `PATCH` changes the role or password, `DELETE` removes; the last admin stays (`409`).
//!
//! Every write must come from the same origin (`403 cross_site_request`).
//! Passwords are hashed here, with PBKDF2 at the crate's cost for secrets
//! people choose; the object only stores and counts.

use super::accounts::{self, Accounts, Answer};
use super::accounts_object::Call;
use super::http::{json_response, Failure};
use super::state::State;
use super::token::{json_body, read_body};
use crate::policy::Rule;
use crate::secret_hash::{hash_secret, verify_secret, HashAlgorithm};
use crate::session::{check_password, clearing_cookie, client_of, cookie_values, is_same_origin, new_session_id, normalized_username, setting_cookie, LoginLimit, Role, SessionCookie};
use crate::authn::{RequestView, Sessions};
use serde_json::{json, Map, Value};
use worker::{Method, Request, Response};

pub(crate) const AUTH_PREFIX: &str = "/api/auth/";
pub(crate) const USERS_PATH: &str = "/api/admin/users";

/// An unknown user's password is checked against this (PBKDF2 at 600,000
/// iterations of a random text nobody knows), so that it costs what a known
/// user's does.
const STAND_IN_HASH: &str = "$pbkdf2-sha256$i=600000$76Z/MwcR/xlV5I/VVAZBTg$FDzkml0gzW6HKFYuSm+bgzkkeKH+jpzU2zrZPEZiX40";

/// Whether `path` is this API's.
pub(crate) fn serves(path: &str) -> bool {
    path.starts_with(AUTH_PREFIX) || path == USERS_PATH || path.starts_with("/api/admin/users/")
}

/// What this API needs of the isolate's state, present when sessions are configured.
struct Parts<'a> {
    accounts: &'a Accounts,
    setup_done: &'a std::cell::Cell<bool>,
    sessions: &'a Sessions,
    lifetime: u64,
    limit: LoginLimit,
}

pub(crate) async fn handle(request: Request, state: &State, view: &impl RequestView, path: &str, now: f64) -> Result<Response, Failure> {
    let (Some(accounts), Some(sessions)) = (&state.accounts, state.gate.sessions()) else {
        return Err(Failure::not_found("no such route"));
    };
    let parts = Parts { accounts, setup_done: &state.setup_done, sessions, lifetime: state.config.session_lifetime, limit: state.config.login_limit };
    let method = request.method();
    let same_origin = is_same_origin(method.as_ref(), view.header("origin").as_deref(), view.header("sec-fetch-site").as_deref(), view.own_origin());
    if !same_origin {
        return Err(cross_site());
    }
    match (path, method) {
        ("/api/auth/status", Method::Get) => status(&parts).await,
        ("/api/auth/signup", Method::Post) => {
            if !state.config.open_signup {
                super::admin::authorize(&request, state)?;
            }
            signup(&parts, &credentials(&request).await?).await
        }
        ("/api/auth/login", Method::Post) => login(&parts, &credentials(&request).await?, &client(view), now).await,
        ("/api/auth/logout", Method::Post) => logout(&parts, view, now).await,
        ("/api/auth/status", _) => Err(Failure::method_not_allowed("GET")),
        ("/api/auth/signup" | "/api/auth/login" | "/api/auth/logout", _) => Err(Failure::method_not_allowed("POST")),
        (path, method) if path == USERS_PATH || path.starts_with("/api/admin/users/") => {
            let rule = Rule::sessions_only(Role::Admin);
            state.gate.authenticate(view, &rule, state, now).await.map_err(super::gateway::refused)?;
            users(&parts, &request, path, method).await
        }
        _ => Err(Failure::not_found("no such route")),
    }
}

pub(crate) fn cross_site() -> Failure {
    Failure::new(403, "cross_site_request", "a session cannot write from another origin")
}

/// The caller, for the login limiter: `CF-Connecting-IP` as Cloudflare's
/// edge sets it (an IPv6 address's whole /64). Locally, wrangler passes on
/// a header the client sent: only production's value can be trusted.
fn client(view: &impl RequestView) -> String {
    client_of(&view.header("cf-connecting-ip").unwrap_or_else(|| "unknown".to_owned()))
}

async fn body(request: &Request) -> Result<Map<String, Value>, Failure> {
    json_body(&read_body(request).await?)?.ok_or_else(|| Failure::bad_request("a JSON body is required"))
}

fn text<'a>(body: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, Failure> {
    match body.get(name) {
        None => Ok(None),
        Some(Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(Failure::bad_request(format!("\"{name}\" must be a string"))),
    }
}

/// `{"username", "password"}`, both checked before any hashing.
async fn credentials(request: &Request) -> Result<(String, String), Failure> {
    let body = body(request).await?;
    let username = text(&body, "username")?.ok_or_else(|| Failure::bad_request("\"username\" is required"))?;
    let password = text(&body, "password")?.ok_or_else(|| Failure::bad_request("\"password\" is required"))?;
    let username = normalized_username(username).map_err(|e| Failure::bad_request(e.to_string()))?;
    check_password(password).map_err(|e| Failure::bad_request(e.to_string()))?;
    Ok((username, password.to_owned()))
}

fn hashed(password: &str) -> Result<String, Failure> {
    hash_secret(password.as_bytes(), HashAlgorithm::default()).map_err(|e| Failure::internal(&e.to_string()))
}

/// Whether a user exists; once one does, asked no more.
async fn setup_done(parts: &Parts<'_>) -> Result<bool, Failure> {
    if !parts.setup_done.get() {
        let answer = parts.accounts.call(&Call::Status).await?;
        parts.setup_done.set(answer.body.get("users").and_then(Value::as_u64) != Some(0));
    }
    Ok(parts.setup_done.get())
}

async fn status(parts: &Parts<'_>) -> Result<Response, Failure> {
    Ok(json_response(200, &json!({"setup_required": !setup_done(parts).await?}), &[])?)
}

async fn signup(parts: &Parts<'_>, (username, password): &(String, String)) -> Result<Response, Failure> {
    if setup_done(parts).await? {
        return Err(Failure::new(409, "setup_done", "the first admin exists already"));
    }
    let call = Call::Signup { username: username.clone(), hash: hashed(password)? };
    relay(parts.accounts.call(&call).await?)
}

async fn login(parts: &Parts<'_>, (username, password): &(String, String), client: &str, now: f64) -> Result<Response, Failure> {
    let limit = parts.limit;
    let (key, client_key) = (format!("login:{username}\n{client}"), format!("login-client:{client}"));
    let attempt = new_session_id().map_err(|e| Failure::internal(&e.to_string()))?;
    let begin = Call::LoginBegin { key, client_key, username: username.clone(), attempt: attempt.clone(), max_failures: limit.max_failures, window: limit.window };
    let answer = parts.accounts.call(&begin).await?;
    if answer.status == 429 {
        let retry_after = answer.body.get("retry_after").and_then(Value::as_u64).unwrap_or(limit.window as u64);
        return Err(Failure::too_many_attempts(retry_after));
    }
    let stored = answer.text("hash");
    let matched = verify_secret(password.as_bytes(), stored.unwrap_or(STAND_IN_HASH)).map_err(|e| Failure::internal(&e.to_string()))?;
    let (true, Some(hash)) = (matched, stored) else {
        return Err(invalid_credentials());
    };
    let sid = new_session_id().map_err(|e| Failure::internal(&e.to_string()))?;
    let expires = (now as u64).saturating_add(parts.lifetime);
    let finish = Call::LoginFinish { attempt, username: username.clone(), hash: hash.to_owned(), sid: sid.clone(), expires: expires as f64 };
    let finished = parts.accounts.call(&finish).await?;
    if finished.status != 200 {
        return Err(invalid_credentials());
    }
    let role = accounts::role(&finished)?;
    let cookie = SessionCookie { sid, user: username.clone(), exp: expires }.seal(&parts.sessions.secret).map_err(|e| Failure::internal(&e.to_string()))?;
    let set_cookie = setting_cookie(&parts.sessions.cookie_name, &cookie, parts.lifetime);
    Ok(json_response(200, &json!({"username": username, "role": role}), &[("set-cookie", set_cookie)])?)
}

fn invalid_credentials() -> Failure {
    Failure::new(401, "invalid_credentials", "the username or password is wrong")
}

/// Ends every session a cookie of ours names (another site may have planted
/// a second one beside it) and clears the cookie either way.
async fn logout(parts: &Parts<'_>, view: &impl RequestView, now: f64) -> Result<Response, Failure> {
    let header = view.header("cookie").unwrap_or_default();
    let ours = cookie_values(&header, &parts.sessions.cookie_name).filter_map(|value| SessionCookie::open(value, &parts.sessions.secret, now).ok());
    for cookie in ours.take(4).collect::<Vec<_>>() {
        parts.accounts.call(&Call::Logout { sid: cookie.sid }).await?;
    }
    let mut response = Response::empty()?.with_status(204);
    response.headers_mut().set("set-cookie", &clearing_cookie(&parts.sessions.cookie_name))?;
    Ok(response)
}

async fn users(parts: &Parts<'_>, request: &Request, path: &str, method: Method) -> Result<Response, Failure> {
    let named = path.strip_prefix("/api/admin/users/").filter(|name| !name.is_empty()).map(str::to_ascii_lowercase);
    let named = named.as_deref();
    let call = match (named, method) {
        (None, Method::Get) => Call::ListUsers,
        (None, Method::Post) => {
            let body = body(request).await?;
            let (username, password) = (required(&body, "username")?, required(&body, "password")?);
            let username = normalized_username(username).map_err(|e| Failure::bad_request(e.to_string()))?;
            check_password(password).map_err(|e| Failure::bad_request(e.to_string()))?;
            Call::CreateUser { username, role: role(&body)?.unwrap_or(Role::Read), hash: hashed(password)? }
        }
        (Some(username), Method::Patch) => {
            let body = body(request).await?;
            let password = text(&body, "password")?;
            password.map(check_password).transpose().map_err(|e| Failure::bad_request(e.to_string()))?;
            let hash = password.map(hashed).transpose()?;
            Call::UpdateUser { username: username.to_owned(), role: role(&body)?, hash }
        }
        (Some(username), Method::Delete) => Call::DeleteUser { username: username.to_owned() },
        (None, _) => return Err(Failure::method_not_allowed("GET, POST")),
        (Some(_), _) => return Err(Failure::method_not_allowed("PATCH, DELETE")),
    };
    relay(parts.accounts.call(&call).await?)
}

fn required<'a>(body: &'a Map<String, Value>, name: &str) -> Result<&'a str, Failure> {
    text(body, name)?.ok_or_else(|| Failure::bad_request(format!("\"{name}\" is required")))
}

fn role(body: &Map<String, Value>) -> Result<Option<Role>, Failure> {
    text(body, "role")?.map(|role| role.parse().map_err(|()| Failure::bad_request("\"role\" is read, write or admin"))).transpose()
}

/// The object's answer as the client's: its status, its body, errors in the usual shape.
fn relay(answer: Answer) -> Result<Response, Failure> {
    match answer.status {
        204 => Ok(Response::empty()?.with_status(204)),
        200 | 201 => Ok(json_response(answer.status, &answer.body, &[])?),
        404 => Err(Failure::not_found("no such user")),
        409 => Err(Failure::new(409, "conflict", match answer.text("error") {
            Some("last_admin") => "the last admin cannot be removed or demoted",
            Some("setup_done") => "the first admin exists already",
            _ => "the user exists already",
        })),
        _ => Err(Failure::internal("the accounts object answered an unexpected status")),
    }
}
