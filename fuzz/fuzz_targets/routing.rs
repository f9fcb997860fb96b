//! The gateway's routing: policy documents and request lines from the input
//! must give a result, never a panic.
#![no_main]

use edgeauth::policy::Policy;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn fixed() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        Policy::parse(r#"[{"prefix": "/api/", "auth": ["jwt", "api_key"]}, {"prefix": "/api/admin/", "methods": ["POST"], "auth": ["jwt"], "jwt_only": true, "scopes": ["admin"]}, {"prefix": "/public/", "auth": "public"}]"#).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (method, path) = text.split_once(' ').unwrap_or(("GET", text));
    if let Some(rule) = fixed().rule_for(method, path) {
        let _ = (rule.kinds().count(), rule.is_public());
    }
    if let Ok(policy) = Policy::parse(text) {
        let _ = policy.rule_for("GET", "/api/x").map(|rule| rule.kinds().count());
    }
});
