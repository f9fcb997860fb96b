//! The edgeauth Cloudflare Worker: HTTP routes over the core, with Workers KV.
//!
//! Compiled with the cargo feature `worker` and built by `worker-build`
//! (`make worker`). Routes:
//!
//! - `GET /health`
//! - `GET /.well-known/jwks.json`: the public signing keys
//! - `POST /v0/token/{audience}`: API key in, JWT out ([`token`])
//! - `/admin/...`: integrations, keys, signing-key rotation ([`admin`])
//! - everything else: the auth gateway ([`gateway`])
//!
//! Every failure is a JSON error with its documented status; nothing from the
//! request is unwrapped, and a failing KV answers 503: the Worker fails closed.

mod admin;
mod config;
mod gateway;
mod http;
mod kv;
mod providers;
mod remote;
mod signing;
mod state;
mod token;

use http::{json_response, Failure, Target};
use ring::digest::{digest, SHA256};
use serde_json::json;
use state::State;
use worker::{event, web_sys, Context, Env, Method, Request, Response, Result};

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Takes and returns the runtime's own request and response objects: the
/// gateway forwards them almost untouched, and `worker::Request`'s conversion
/// would parse `request.cf` (the edge metadata, as JSON) on every request,
/// which costs more than the gateway's own checks.
#[event(fetch)]
async fn fetch(request: web_sys::Request, env: Env, _ctx: Context) -> Result<web_sys::Response> {
    let url = request.url();
    let target = Target::of(&url);
    if target.path == "/health" {
        let health = match request.method().as_str() {
            "GET" => json_response(200, &json!({"status": "ok"}), &[]),
            _ => Failure::method_not_allowed("GET").into_response(),
        };
        return health.map(Into::into);
    }
    let state = match state::state(&env) {
        Ok(state) => state,
        Err(error) => return Failure::new(500, "config_invalid", error.to_string()).into_response().map(Into::into),
    };
    match route(request, &state, &target).await {
        Ok(response) => Ok(response),
        Err(failure) => failure.into_response().map(Into::into),
    }
}

async fn route(request: web_sys::Request, state: &State, target: &Target<'_>) -> std::result::Result<web_sys::Response, Failure> {
    if state.config.bootstrap_dev_key {
        signing::bootstrap_if_empty(&state.kv, &state.config, crate::clock::now()).await?;
    }
    let path = target.path;
    let response = if let Some(audience) = path.strip_prefix("/v0/token/") {
        token::exchange(Request::from(request), state, audience).await?
    } else if path == "/admin" || path.starts_with("/admin/") {
        admin::handle(Request::from(request), state, path).await?
    } else if path == "/.well-known/jwks.json" {
        jwks(&Request::from(request), state).await?
    } else {
        return gateway::forward(request, state, target).await;
    };
    Ok(response.into())
}

/// The public keys, cacheable, with a strong ETag.
async fn jwks(request: &Request, state: &State) -> std::result::Result<Response, Failure> {
    if request.method() != Method::Get {
        return Err(Failure::method_not_allowed("GET"));
    }
    let now = crate::clock::now();
    let index = signing::index(&state.kv, now).await?;
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
