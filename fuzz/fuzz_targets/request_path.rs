//! Request-path canonicalization: any input must give a result, never a
//! panic, and an accepted path must be its own canonical form and free of
//! everything that lets an origin read it as another path. The checks are
//! written apart from the module's own logic, so they catch it, not copy it.
#![no_main]

use edgeauth::request_path::{canonical, MAX_PATH_LEN};
use libfuzzer_sys::fuzz_target;
use std::borrow::Cow;

fuzz_target!(|data: &[u8]| {
    let Ok(path) = std::str::from_utf8(data) else { return };
    let Ok(out) = canonical(path) else { return };
    if let Cow::Owned(owned) = &out {
        assert_ne!(owned, path, "allocated for a path already canonical");
    }
    assert!(matches!(canonical(&out), Ok(Cow::Borrowed(again)) if again == out), "not idempotent: {path:?} -> {out:?}");
    assert!(out.starts_with('/') && out.len() <= MAX_PATH_LEN, "{out:?}");
    assert!(!out.contains("//"), "{out:?}");
    for segment in out.split('/') {
        let head = segment.split(';').next().unwrap_or_default();
        assert!(head != "." && head != "..", "dot segment in {out:?}");
    }
    let upper = out.to_ascii_uppercase();
    for banned in ["%2F", "%5C", "%00", "%2E"] {
        assert!(!upper.contains(banned), "{banned} in {out:?}");
    }
    assert!(out.bytes().all(|b| b.is_ascii_graphic() && !b"\\?#".contains(&b)), "{out:?}");
    assert_escapes_canonical(&out);
});

/// Every `%` begins two upper-case hex digits that do not spell an
/// unreserved character.
fn assert_escapes_canonical(out: &str) {
    for (at, _) in out.match_indices('%') {
        let hex = out.get(at + 1..at + 3).unwrap_or_default();
        assert!(hex.len() == 2 && hex.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)), "escape at {at} in {out:?}");
        let byte = u8::from_str_radix(hex, 16).unwrap();
        assert!(!(byte.is_ascii_alphanumeric() || b"-._~".contains(&byte)), "unreserved escape at {at} in {out:?}");
    }
}
