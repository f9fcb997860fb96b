//! HTTP answers: JSON bodies, and the mapping of failures to statuses.
//!
//! Every error body is `{"error": "<code>", "message": "..."}`. Credential
//! failures are generic to the client (`401` with an RFC 6750
//! `WWW-Authenticate`), with the detail only in the log; store failures are
//! `503` with `Retry-After`; internal failures say nothing of their cause.

use crate::Error;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use worker::{console_error, console_log, js_sys, web_sys, Response};

/// What a request gets.
pub(crate) enum Reply {
    Now(web_sys::Response),
    /// The origin's fetch, a promise of its response, left for the runtime to
    /// await: awaiting it in wasm would cost a round through the executor.
    Forwarded(js_sys::Promise),
}

impl From<Response> for Reply {
    fn from(response: Response) -> Reply {
        Reply::Now(response.into())
    }
}

/// The value handed to the runtime: a response or a promise of one.
pub(crate) fn into_js(reply: Result<Reply, Failure>) -> JsValue {
    match reply.or_else(|failure| failure.into_response().map(Reply::from)) {
        Ok(Reply::Now(response)) => response.into(),
        Ok(Reply::Forwarded(promise)) => promise.into(),
        Err(error) => {
            console_error!("edgeauth: cannot build a response: {error}");
            bare_internal_error()
        }
    }
}

/// `Failure::internal`'s answer built with the fewest calls, for when the
/// usual one could not be; if even this fails, the runtime answers 500.
fn bare_internal_error() -> JsValue {
    const BODY: &str = r#"{"error":"internal","message":"internal error"}"#;
    let init = web_sys::ResponseInit::new();
    init.set_status(500);
    let response = web_sys::Headers::new()
        .and_then(|headers| headers.set("content-type", "application/json").map(|()| headers))
        .and_then(|headers| {
            init.set_headers(&headers);
            web_sys::Response::new_with_opt_str_and_init(Some(BODY), &init)
        });
    response.map_or_else(|error| js_sys::Promise::reject(&error).into(), Into::into)
}

/// A request that ends in an error response.
#[derive(Debug)]
pub(crate) struct Failure {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    pub headers: Vec<(&'static str, String)>,
}

impl Failure {
    pub(crate) fn new(status: u16, code: &'static str, message: impl Into<String>) -> Failure {
        Failure { status, code, message: message.into(), headers: Vec::new() }
    }

    pub(crate) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Failure {
        self.headers.push((name, value.into()));
        self
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Failure {
        Failure::new(400, "invalid_request", message)
    }

    pub(crate) fn method_not_allowed(allow: &'static str) -> Failure {
        Failure::new(405, "method_not_allowed", "method not allowed").with_header("allow", allow)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Failure {
        Failure::new(404, "not_found", message)
    }

    pub(crate) fn too_large() -> Failure {
        Failure::new(413, "payload_too_large", "the request body is too large")
    }

    /// 401 for a missing or bad credential; `detail` goes to the log only.
    pub(crate) fn unauthorized(detail: &str) -> Failure {
        Failure::challenge(false, Some(detail))
    }

    /// 401 challenging with Basic or Bearer (RFC 7617, RFC 6750). With a
    /// `detail` (logged only) a credential was refused; without one none was
    /// presented, and the challenge is bare (RFC 6750 section 3.1). The body
    /// is the same whatever the reason.
    pub(crate) fn challenge(basic: bool, detail: Option<&str>) -> Failure {
        if let Some(detail) = detail {
            console_log!("edgeauth: credential refused: {detail}");
        }
        let challenge = match (basic, detail.is_some()) {
            (true, _) => r#"Basic realm="edgeauth", charset="UTF-8""#,
            (false, true) => r#"Bearer realm="edgeauth", error="invalid_token", error_description="the credential was refused""#,
            (false, false) => r#"Bearer realm="edgeauth""#,
        };
        Failure::new(401, "invalid_token", "the credential is missing, malformed, unknown, revoked or expired").with_header("www-authenticate", challenge)
    }

    pub(crate) fn forbidden() -> Failure {
        Failure::new(403, "insufficient_scope", "the credential lacks a required scope")
            .with_header("www-authenticate", r#"Bearer realm="edgeauth", error="insufficient_scope""#)
    }

    /// 429: too many failed attempts lately, with when to retry.
    pub(crate) fn too_many_attempts(retry_after: u64) -> Failure {
        Failure::new(429, "too_many_attempts", "too many failed attempts; retry later").with_header("retry-after", retry_after.to_string())
    }

    pub(crate) fn unavailable(detail: &str) -> Failure {
        console_log!("edgeauth: dependency unavailable: {detail}");
        Failure::new(503, "unavailable", "a backing service is unavailable; retry shortly").with_header("retry-after", "5")
    }

    /// 500 with no detail for the client; the cause goes to the log.
    pub(crate) fn internal(detail: &str) -> Failure {
        console_log!("edgeauth: internal error: {detail}");
        Failure::new(500, "internal", "internal error")
    }

    pub(crate) fn into_response(self) -> worker::Result<Response> {
        let body = json!({"error": self.code, "message": self.message});
        let headers: Vec<(&str, String)> = self.headers.iter().map(|(n, v)| (*n, v.clone())).collect();
        json_response(self.status, &body, &headers)
    }
}

/// Maps a core error: what the caller presented is refused with 401; a
/// failing store is 503; anything wrong with our own stored or configured
/// material (keys, key sets, hashes, sealed values) is a 500, never a 401
/// that would blame the caller.
impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        match error {
            Error::StoreUnavailable(detail) | Error::JwksUnavailable(detail) => Failure::unavailable(detail),
            // Only a remote key set's document is parsed at run time: the provider's fault, not ours.
            Error::JwksInvalid(detail) => Failure::unavailable(detail),
            Error::JwksTimeout => Failure::unavailable("a remote JWK Set did not answer in time"),
            Error::RateLimited { retry_after } => Failure::too_many_attempts(retry_after),
            Error::HashInvalid(_) | Error::AtRestInvalid(_) | Error::JwkInvalid(_) => {
                Failure::internal(&error.to_string())
            }
            Error::JwsInvalid(_)
            | Error::JwtInvalid(_)
            | Error::SignatureVerificationFailed
            | Error::AlgNotAllowed(_)
            | Error::NotSupported(_)
            | Error::JwtExpired { .. }
            | Error::ClaimValidationFailed { .. }
            | Error::JwksNoMatchingKey
            | Error::JwksMultipleMatchingKeys
            | Error::JwtTooLarge { .. }
            | Error::CredentialMalformed(_)
            | Error::CredentialRejected
            | Error::CredentialRevoked
            | Error::CredentialExpired => Failure::unauthorized(error.code()),
        }
    }
}

impl From<worker::Error> for Failure {
    fn from(error: worker::Error) -> Failure {
        Failure::internal(&error.to_string())
    }
}

/// A request's path and query, cut from the URL the runtime serialized
/// (already normalized: reparsing it would only cost time).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Target<'a> {
    /// `scheme://host[:port]`, for the same-origin check.
    pub origin: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
}

impl Target<'_> {
    pub(crate) fn of(url: &str) -> Target<'_> {
        let after_scheme = url.find("://").map_or(url, |i| url.get(i + 3..).unwrap_or_default());
        let from_path = after_scheme.find(['/', '?', '#']).and_then(|i| after_scheme.get(i..)).unwrap_or_default();
        let origin = url.get(..url.len() - from_path.len()).unwrap_or_default();
        let without_fragment = from_path.split('#').next().unwrap_or_default();
        let (path, query) = match without_fragment.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (without_fragment, None),
        };
        Target { origin, path: if path.is_empty() { "/" } else { path }, query }
    }
}

/// A JSON response, never cached.
pub(crate) fn json_response(status: u16, body: &Value, headers: &[(&str, String)]) -> worker::Result<Response> {
    let mut response = Response::from_json(body)?.with_status(status);
    let response_headers = response.headers_mut();
    response_headers.set("cache-control", "no-store")?;
    for (name, value) in headers {
        response_headers.set(name, value)?;
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::Target;

    #[test]
    fn targets_are_cut_from_serialized_urls() {
        let cut = |url| Target::of(url);
        let h = "https://h.example";
        assert_eq!(cut("https://h.example/a/b?x=1&y#f"), Target { origin: h, path: "/a/b", query: Some("x=1&y") });
        assert_eq!(cut("http://127.0.0.1:8787/"), Target { origin: "http://127.0.0.1:8787", path: "/", query: None });
        assert_eq!(cut("https://h.example?q"), Target { origin: h, path: "/", query: Some("q") });
        assert_eq!(cut("https://h.example/p?"), Target { origin: h, path: "/p", query: Some("") });
        assert_eq!(cut("https://h.example/p#frag?not-query"), Target { origin: h, path: "/p", query: None });
        assert_eq!(cut("garbage"), Target { origin: "garbage", path: "/", query: None });
    }
}
