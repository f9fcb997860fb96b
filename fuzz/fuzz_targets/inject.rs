//! Secret injection (a policy rule's `inject`): any header name and template
//! must give a result, never a panic; a template that parses renders, with
//! any secret values, either a value a header can hold (no splitting, no
//! control bytes) or the name of the secret that made it impossible; and a
//! header it accepts is never one the gateway reserves.
#![no_main]

use edgeauth::inject::{is_header_value, Injection};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut fields = text.splitn(3, '\u{1}');
    let (header, template, secret) = (fields.next().unwrap_or_default(), fields.next().unwrap_or_default(), fields.next().unwrap_or_default());
    let Ok(injection) = Injection::parse(header, template) else { return };
    let name = injection.header.as_str();
    assert!(!name.starts_with("x-auth-") && name != "host" && name != "content-length" && !name.contains([' ', ':', '\r', '\n']), "{name:?}");
    assert!(injection.secret_names().next().is_some(), "a template without secrets: {template:?}");
    match injection.render(|_| Some(secret)) {
        Ok(value) => {
            assert!(is_header_value(secret), "rendered with a secret no header can hold: {secret:?}");
            assert!(!value.contains(['\r', '\n', '\0']), "{value:?}");
            assert!(value.contains(secret), "{value:?} lacks the secret");
        }
        Err(missing) => assert!(!is_header_value(secret) && injection.secret_names().any(|n| n == missing)),
    }
});
