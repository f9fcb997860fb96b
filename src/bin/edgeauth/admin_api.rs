//! Calls to a Worker's admin API (`--url`, `--admin-token-file`), shared by
//! the commands that change a deployed Worker.

use serde_json::Value;
use std::path::Path;

/// POSTs `body` to `url` + `path` with the admin token read from `token_file`;
/// the JSON answer when the status is `expected`, else an error saying what came.
pub fn post_json(url: &str, token_file: &Path, path: &str, body: &Value, expected: u16) -> Result<Value, String> {
    if !is_safe_url(url) {
        return Err(format!("{url}: the admin token (and any key) would cross the network in the clear: use https://, or http:// only to 127.0.0.1 or localhost"));
    }
    let token = std::fs::read_to_string(token_file).map_err(|e| format!("cannot read {}: {e}", token_file.display()))?;
    let endpoint = format!("{}{path}", url.trim_end_matches('/'));
    let mut response = ureq::post(&endpoint)
        .header("authorization", &format!("Bearer {}", token.trim()))
        .config()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(30)))
        .build()
        .send_json(body)
        .map_err(|e| format!("{endpoint}: {e}"))?;
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().map_err(|e| format!("{endpoint} answered {status}: {e}"))?;
    match (status, serde_json::from_str::<Value>(&text)) {
        (s, Ok(answer)) if s == expected => Ok(answer),
        (s, Err(e)) if s == expected => Err(format!("{endpoint} answered {status} with a body that is not JSON: {e}")),
        (_, Ok(answer)) => Err(format!("{endpoint} answered {status}: {answer}")),
        (_, Err(_)) => Err(format!("{endpoint} answered {status} (not the edgeauth admin API?)")),
    }
}

/// https anywhere; http only to this machine (`make dev`, the tests).
fn is_safe_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else { return url.starts_with("https://") };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once(':').filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit())).map_or(host, |(host, _)| host);
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// The string member `name` of an answer from `path`.
pub fn field<'a>(answer: &'a Value, path: &str, name: &str) -> Result<&'a str, String> {
    answer.get(name).and_then(Value::as_str).ok_or_else(|| format!("{path} answered without \"{name}\""))
}
