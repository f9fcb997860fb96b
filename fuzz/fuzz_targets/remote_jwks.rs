//! The remote key set's header parsing and state machine
//! (`edgeauth::remote_jwks`): any response headers and bodies, any order of
//! steps, settles and shared copies at any times must never panic, and must
//! keep its promises: a ready set is never empty, a fresh copy answers
//! without a fetch, and a parsed HTTP date is a finite non-negative time.
//!
//! Input: lines. The first six are Cache-Control, Age, Expires, Date, ETag
//! and Last-Modified (empty: absent), the seventh the body; every byte of the
//! rest is one operation.
#![no_main]

use edgeauth::remote_jwks::{http_date, Headers, Outcome, RemoteKeySet, Settings, Source, Step, Want};
use libfuzzer_sys::fuzz_target;

const GOOD_SET: &str = r#"{"keys":[{"kty":"EC","crv":"P-256","kid":"a","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tie-seNgvLvfGqmHh0AKRp7rdpAo"}]}"#;

const DISCOVERY: &str = r#"{"issuer":"https://idp.example","jwks_uri":"https://idp.example/jwks"}"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.splitn(8, '\n');
    let mut next = || lines.next().filter(|line| !line.is_empty());
    let (cache_control, age, expires, date, etag, last_modified, body) = (next(), next(), next(), next(), next(), next(), next().unwrap_or(GOOD_SET));
    let ops = lines.next().unwrap_or_default().as_bytes();
    for value in [expires, date, last_modified].into_iter().flatten() {
        if let Some(time) = http_date(value) {
            assert!(time.is_finite() && time >= 0.0, "{value:?} -> {time}");
        }
    }
    let headers = Headers { cache_control, age, expires, date, etag, last_modified };
    let source = match ops.first().is_some_and(|op| op & 1 == 1) {
        true => Source::Issuer("https://idp.example".into()),
        false => Source::Jwks("https://idp.example/jwks".into()),
    };
    let settings = Settings { timeout: 1.0, cooldown: 2.0, min_age: 1.0, max_age: 50.0, max_staleness: 20.0 };
    let Ok(mut set) = RemoteKeySet::new(source, settings) else { return };
    let mut now = 0.0;
    let mut pending = None;
    for &op in ops {
        now += f64::from(op >> 5);
        let kid = ["a", "b", "zz"][usize::from(op >> 3 & 3).min(2)];
        let want = if op & 4 == 0 { Want::Keys } else { Want::Kid(Some(kid)) };
        match op & 3 {
            0 | 1 => match set.step(now, want, op & 1 == 1) {
                Step::Ready(keys) => assert!(!keys.is_empty()),
                Step::Fetch(request) => pending = Some(request),
                Step::Wait | Step::Fail(_) => {}
            },
            2 => {
                if let Some(request) = pending.take() {
                    let body = if request.discovery && op & 8 == 0 { DISCOVERY } else { body };
                    let status = [200, 304, 302, 500][usize::from(op >> 2 & 3)];
                    if set.settle(now, &request, Outcome::Response { status, body, headers }).is_ok() && !request.discovery {
                        let copy = set.shared();
                        if let Step::Ready(keys) = set.step(now, Want::Keys, false) {
                            assert!(!keys.is_empty());
                        } else if copy.is_some() {
                            panic!("a copy settled just now is not fresh");
                        }
                    }
                }
            }
            _ => {
                if let Some((record, _)) = set.shared() {
                    set.adopt(&record);
                }
                if let Some(request) = pending.take() {
                    let _ = set.settle(now, &request, [Outcome::Timeout, Outcome::TooLarge, Outcome::Unreachable][usize::from(op >> 2 & 1)]);
                }
            }
        }
    }
});
