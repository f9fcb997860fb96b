//! API-key, Authorization-header, service-token and stored-hash parsing: any
//! input must give a result, never a panic.
#![no_main]

use edgeauth::apikey::ApiKeyFormat;
use edgeauth::http_auth::{parse_basic, parse_bearer, ServiceTokenSource};
use edgeauth::secret_hash::verify_secret;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = ApiKeyFormat::default().parse(text);
    let _ = parse_bearer(text);
    let _ = parse_basic(text);
    let (header, query) = text.split_once('?').unwrap_or((text, ""));
    let _ = ServiceTokenSource::default().extract(Some(header), Some(query), true);
    let _ = ServiceTokenSource::default().extract(None, Some(text), true);
    // A stored hash from the input, checked against a short secret; hostile
    // iteration counts and costs must be refused before any work.
    let _ = verify_secret(b"secret", text);
});
