//! The edgeauth Cloudflare Worker: HTTP routes over the core, with Workers KV.
//!
//! Compiled with the cargo feature `worker` and built by
//! `scripts/build-worker.sh` (`make worker`), with `entry.js` as the entry
//! module. Routes:
//!
//! - `GET /health` (`HEALTH_PATH`)
//! - `GET /.well-known/jwks.json`: the public signing keys
//! - `POST /v0/token/{audience}`: API key in, JWT out ([`token`])
//! - `/admin/...` (`ADMIN_PATH_PREFIX`): integrations, keys, signing keys ([`admin`], [`signing_admin`])
//! - `/api/auth/...`, `/api/admin/users`: dashboard users, with sessions configured ([`auth_api`])
//! - everything else: the auth gateway ([`gateway`])
//!
//! Every failure is a JSON error with its documented status; nothing from the
//! request is unwrapped, and a failing KV answers 503: the Worker fails closed.

mod accounts;
mod accounts_object;
mod admin;
mod api_keys;
mod auth_api;
mod config;
mod gateway;
mod http;
mod integrations;
mod key_status_object;
mod kv;
mod objects;
mod remote;
mod secrets;
mod signing;
mod signing_admin;
mod state;
mod token;

use http::{json_response, Failure, Reply, Target};
use ring::digest::{digest, SHA256};
use serde_json::json;
use state::State;
use std::future::Future;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::{wasm_bindgen, JsValue};
use worker::wasm_bindgen_futures::future_to_promise;
use worker::{event, web_sys, worker_sys, Env, Method, Request, Response};

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// The fetch handler, written out instead of `#[event(fetch)]`, for speed.
///
/// It takes the runtime's own request: `worker::Request`'s conversion would
/// parse `request.cf` (the edge metadata, as JSON) on every request. And most
/// requests need no I/O (keys and verified credentials are cached in the
/// isolate), so one synchronous poll answers them: they skip the
/// wasm-bindgen-futures executor, a microtask and two promises per request,
/// and a forwarded request returns the origin's fetch for the runtime to
/// await. Only a request that waits on KV or a remote JWKS goes to the
/// executor, which polls it again in the next microtask with a waker of its
/// own (every future awaited here re-registers its waker on each poll).
#[wasm_bindgen]
pub fn fetch(request: web_sys::Request, env: Env, ctx: worker_sys::Context) -> JsValue {
    let mut pending = Box::pin(answer(request, env.clone()));
    match pending.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(reply) => {
            after_response(&env, &ctx);
            reply
        }
        Poll::Pending => future_to_promise(async move {
            let reply = pending.await;
            after_response(&env, &ctx);
            Ok(reply)
        })
        .into(),
    }
}

/// The cron trigger (`[triggers] crons` in `wrangler.toml`, through
/// `entry.js`): rotates the signing key when `ROTATE_AFTER_DAYS` says so and
/// deletes keys retired after their overlap. The promise rejects, so that the
/// run counts as failed, when the configuration or KV fails.
#[wasm_bindgen]
pub fn scheduled(env: Env) -> worker::js_sys::Promise {
    future_to_promise(async move {
        let state = state::state(&env).map_err(|error| JsValue::from_str(&format!("edgeauth: scheduled: configuration: {error}")))?;
        match state.signing.scheduled(&state.config, crate::clock::now() as u64).await {
            Ok(done) => worker::console_log!("edgeauth: scheduled: {done}"),
            Err(error) => return Err(JsValue::from_str(&format!("edgeauth: scheduled: {error}"))),
        }
        Ok(JsValue::UNDEFINED)
    })
}

/// Work that must not delay the answer, handed to the runtime to finish
/// after it (`waitUntil`): the API-key uses this request noted.
fn after_response(env: &Env, ctx: &worker_sys::Context) {
    let Ok(state) = state::state(env) else { return };
    let uses = state.api_keys.store().take_uses();
    if uses.is_empty() {
        return;
    }
    let kv = state.kv.clone();
    let writes = future_to_promise(async move {
        api_keys::ApiKeyStore::write_uses(kv, uses).await;
        Ok(JsValue::UNDEFINED)
    });
    let _ = ctx.wait_until(&writes);
}

/// A response, or a promise of one; never a rejection the Worker could avoid.
async fn answer(request: web_sys::Request, env: Env) -> JsValue {
    let url = request.url();
    let raw = Target::of(&url);
    // Every route, the Worker's own too, is chosen on the canonical path, so
    // no spelling of one route (`/%61dmin/`) reaches another.
    let reply = match crate::request_path::canonical(raw.path) {
        Ok(path) => dispatch(request, &env, &Target { origin: raw.origin, path: &path, query: raw.query }).await,
        Err(refusal) => Err(Failure::new(400, "invalid_path", refusal.message())),
    };
    http::into_js(reply)
}

async fn dispatch(request: web_sys::Request, env: &Env, target: &Target<'_>) -> Result<Reply, Failure> {
    #[cfg(feature = "panic-probe")]
    if target.path.starts_with("/__panic") {
        return panic_probe(target.path, env).await;
    }
    match state::state(env) {
        Ok(state) if target.path == state.config.health_path => health(&request),
        Ok(state) => route(request, &state, target).await,
        // The health check answers even when the rest is misconfigured: the
        // Worker is alive, and every other route says what is wrong.
        Err(_) if target.path == broken_config_health_path(env) => health(&request),
        Err(error) => Err(config_invalid(&error)),
    }
}

/// `HEALTH_PATH` as written, when the configuration as a whole is unusable.
fn broken_config_health_path(env: &Env) -> String {
    env.var("HEALTH_PATH").map(|path| path.to_string()).unwrap_or_else(|_| config::DEFAULT_HEALTH_PATH.to_owned())
}

/// Test builds only (feature `panic-probe`): panics at once, or after a KV
/// read (`/__panic/after-io`), so the tests see the isolate recover from a
/// panic in either the first poll or the executor.
#[cfg(feature = "panic-probe")]
async fn panic_probe(path: &str, env: &Env) -> Result<Reply, Failure> {
    if path == "/__panic/after-io" {
        let state = state::state(env).map_err(|error| config_invalid(&error))?;
        state.kv.get_text("panic-probe").await?;
    }
    panic!("the panic probe");
}

/// `500 config_invalid` naming the setting only; the detail goes to the log.
fn config_invalid(error: &config::ConfigError) -> Failure {
    worker::console_error!("edgeauth: configuration: {error}");
    Failure::new(500, "config_invalid", error.public_message())
}

fn health(request: &web_sys::Request) -> Result<Reply, Failure> {
    match request.method().as_str() {
        "GET" => Ok(json_response(200, &json!({"status": "ok"}), &[])?.into()),
        _ => Err(Failure::method_not_allowed("GET")),
    }
}

async fn route(request: web_sys::Request, state: &State, target: &Target<'_>) -> Result<Reply, Failure> {
    // The one clock read of this request.
    let now = crate::clock::now();
    if state.config.signing_jwk.is_some() || state.config.bootstrap_dev_key {
        state.signing.provision_if_empty(&state.config, now).await?;
    }
    let path = target.path;
    let response = if let Some(audience) = path.strip_prefix("/v0/token/") {
        token::exchange(Request::from(request), state, audience, now).await?
    } else if let Some(admin_path) = admin_path(path, &state.config.admin_prefix) {
        admin::handle(Request::from(request), state, &admin_path, now).await?
    } else if path == "/.well-known/jwks.json" {
        jwks(&Request::from(request), state, now).await?
    } else if state.gate.sessions().is_some() && auth_api::serves(path) {
        let headers = worker::Headers(request.headers());
        let method = request.method();
        let view = gateway::View { headers: &headers, query: target.query, method: &method, own_origin: target.origin };
        auth_api::handle(Request::from(request), state, &view, path, now).await?
    } else {
        return gateway::forward(request, state, target, now).await;
    };
    Ok(response.into())
}

/// The admin route `path` names under `prefix`, spelled as the admin API
/// knows it (`/admin/...`); `None` for any other path.
fn admin_path(path: &str, prefix: &str) -> Option<String> {
    let bare = prefix.strip_suffix('/').unwrap_or(prefix);
    match path.strip_prefix(prefix) {
        Some(rest) => Some(format!("/admin/{rest}")),
        None if path == bare => Some("/admin".to_owned()),
        None => None,
    }
}

/// The public keys, cacheable, with a strong ETag.
async fn jwks(request: &Request, state: &State, now: f64) -> Result<Response, Failure> {
    if request.method() != Method::Get {
        return Err(Failure::method_not_allowed("GET"));
    }
    let index = state.signing.index(now).await?;
    let body = index.map(|index| signing::public_jwks(&index, now as u64)).unwrap_or_else(|| json!({"keys": []}));
    let etag = format!("\"{}\"", crate::b64::encode(digest(&SHA256, body.to_string().as_bytes()).as_ref().get(..16).unwrap_or_default()));
    let cache = format!("public, max-age={}", state.config.jwks_max_age);
    let not_modified = request.headers().get("if-none-match").ok().flatten().as_deref() == Some(etag.as_str());
    let mut response = match not_modified {
        true => Response::empty()?.with_status(304),
        false => Response::from_json(&body)?,
    };
    response.headers_mut().set("cache-control", &cache)?;
    response.headers_mut().set("etag", &etag)?;
    Ok(response)
}
