//! What an admin asks of a new API key (`KeyRequest::from_json`): any JSON
//! body gives a result, never a panic, and an accepted request keeps its
//! promises: audiences a non-empty subset of those allowed, an expiry after
//! now, scopes that join into a `scope` claim and split back.
#![no_main]

use edgeauth::apikey::KeyRequest;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

const NOW: u64 = 1_700_000_000;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<Map<String, Value>>(data) else { return };
    let allowed = ["integration".to_owned(), "autojoin".to_owned()];
    let Ok(request) = KeyRequest::from_json(&body, &allowed, NOW) else { return };
    assert!(!request.audiences.is_empty() && request.audiences.iter().all(|audience| allowed.contains(audience)));
    assert!(request.expires_at.is_none_or(|at| at > NOW));
    let joined = request.scopes.join(" ");
    assert_eq!(joined.split(' ').filter(|s| !s.is_empty()).count(), request.scopes.len());
});
