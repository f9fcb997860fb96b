//! Cloudflare Worker entry point for edgeauth.
//!
//! This module is compiled only with the cargo feature `worker` and is built
//! into `build/worker/` by `worker-build` (see `wrangler.toml`). It is the
//! HTTP front door of the edgeauth service running in workerd: it maps each
//! request to a route and answers with JSON. For now it only serves the
//! liveness probe:
//!
//! * `GET /health` → `200 {"status":"ok"}`
//! * anything else → `404 {"error":"not_found","message":"..."}`
//!
//! Every response is `application/json` and `cache-control: no-store`.
//! Nothing coming from the request is trusted or unwrapped: failures turn
//! into an `Err`, which the runtime answers with a 500, never a panic.

use serde::Serialize;
use worker::{event, Context, Env, Method, Request, Response, Result};

/// The routes the Worker knows about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Health,
    NotFound,
}

/// Maps a request line to a route. Pure, so it can be unit tested natively.
fn route(method: &Method, path: &str) -> Route {
    match (method, path) {
        (Method::Get, "/health") => Route::Health,
        _ => Route::NotFound,
    }
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
}

#[derive(Serialize)]
struct ErrorBody {
    error: &'static str,
    message: &'static str,
}

/// Serialises `body` as JSON with the given status and no-store caching.
fn json<B: Serialize>(status: u16, body: &B) -> Result<Response> {
    let response = Response::from_json(body)?.with_status(status);
    response.headers().set("cache-control", "no-store")?;
    Ok(response)
}

/// Installs the panic hook once per isolate so that a panic (which should
/// never happen) is logged with its message instead of an opaque trap.
#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: Request, _env: Env, _ctx: Context) -> Result<Response> {
    match route(&req.method(), &req.path()) {
        Route::Health => json(200, &Health { status: "ok" }),
        Route::NotFound => json(
            404,
            &ErrorBody {
                error: "not_found",
                message: "no such route",
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_is_get_only() {
        assert_eq!(route(&Method::Get, "/health"), Route::Health);
        assert_eq!(route(&Method::Post, "/health"), Route::NotFound);
        assert_eq!(route(&Method::Get, "/health/"), Route::NotFound);
        assert_eq!(route(&Method::Get, "/"), Route::NotFound);
    }
}
