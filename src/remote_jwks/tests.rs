//! The rules of a remote key set, driven with a fake clock and fake fetch results.

use super::*;
use crate::{Algorithm, Key};

const URL: &str = "https://idp.example/jwks";

fn jwks(kids: &[&str]) -> String {
    let mut set = KeySet::new();
    for kid in kids {
        set.add(Key::generate(Algorithm::ES256, Some(kid)).unwrap());
    }
    serde_json::Value::Object(set.to_public_jwks()).to_string()
}

fn ok<'a>(body: &'a str, cache_control: &'a str) -> Outcome<'a> {
    Outcome::Response { status: 200, body, headers: Headers { cache_control: Some(cache_control), ..Headers::default() } }
}

fn set() -> RemoteKeySet {
    RemoteKeySet::new(Source::Jwks(URL.into()), Settings::default()).unwrap()
}

/// Steps at `now`, answering each fetch with `answer`; the fetches made and the final step.
fn run<'a>(set: &mut RemoteKeySet, now: f64, want: Want<'_>, answer: &mut dyn FnMut(&Request) -> Outcome<'a>) -> (Vec<Request>, Step) {
    let mut fetches = Vec::new();
    loop {
        match set.step(now, want, true) {
            Step::Fetch(request) => {
                let _ = set.settle(now, &request, answer(&request));
                fetches.push(request);
            }
            done => return (fetches, done),
        }
    }
}

fn kids(step: &Step) -> Vec<String> {
    match step {
        Step::Ready(keys) => keys.iter().filter_map(|k| k.kid().map(str::to_owned)).collect(),
        other => panic!("not ready: {other:?}"),
    }
}

fn failed(step: &Step) -> &'static str {
    match step {
        Step::Fail(error) => error.code(),
        other => panic!("not failed: {other:?}"),
    }
}

#[test]
fn fetches_once_and_serves_for_max_age_clamped() {
    let body = jwks(&["a"]);
    let mut remote = set();
    let (fetches, step) = run(&mut remote, 0.0, Want::Keys, &mut |_| ok(&body, "max-age=300"));
    assert_eq!((fetches.len(), kids(&step)), (1, vec!["a".to_owned()]));
    assert_eq!(fetches[0].url, URL);
    assert_eq!(run(&mut remote, 299.0, Want::Keys, &mut |_| ok(&body, "max-age=300")).0.len(), 0);
    assert_eq!(run(&mut remote, 300.0, Want::Keys, &mut |_| ok(&body, "max-age=99999")).0.len(), 1);
    assert_eq!(run(&mut remote, 899.0, Want::Keys, &mut |_| unreachable!()).0.len(), 0, "clamped to max_age 600");
    assert_eq!(run(&mut remote, 900.0, Want::Keys, &mut |_| ok(&body, "no-cache")).0.len(), 1);
    assert_eq!(run(&mut remote, 959.0, Want::Keys, &mut |_| unreachable!()).0.len(), 0, "no-cache: min_age 60");
    assert_eq!(run(&mut remote, 960.0, Want::Keys, &mut |_| ok(&body, "no-store")).0.len(), 1);
    assert!(remote.shared().is_none(), "no-store is not shared");
}

#[test]
fn age_and_expires_count() {
    let body = jwks(&["a"]);
    let mut remote = set();
    let aged = Outcome::Response { status: 200, body: &body, headers: Headers { cache_control: Some("max-age=300"), age: Some("200"), ..Headers::default() } };
    run(&mut remote, 0.0, Want::Keys, &mut |_| aged);
    assert_eq!(run(&mut remote, 99.0, Want::Keys, &mut |_| unreachable!()).0.len(), 0);
    let expires = Headers { expires: Some("Thu, 01 Jan 1970 00:05:00 GMT"), date: Some("Thu, 01 Jan 1970 00:00:00 GMT"), ..Headers::default() };
    assert_eq!(run(&mut remote, 100.0, Want::Keys, &mut |_| Outcome::Response { status: 200, body: &body, headers: expires }).0.len(), 1);
    assert_eq!(run(&mut remote, 399.0, Want::Keys, &mut |_| unreachable!()).0.len(), 0);
    assert_eq!(run(&mut remote, 400.0, Want::Keys, &mut |_| ok(&body, "")).0.len(), 1);
}

#[test]
fn an_unknown_kid_refetches_once_per_cooldown_and_misses_are_remembered() {
    let (old, new) = (jwks(&["a"]), jwks(&["a", "b"]));
    let mut remote = set();
    run(&mut remote, 0.0, Want::Keys, &mut |_| ok(&old, "max-age=600"));
    let (fetches, step) = run(&mut remote, 40.0, Want::Kid(Some("b")), &mut |_| ok(&new, "max-age=600"));
    assert_eq!((fetches.len(), kids(&step)), (1, vec!["a".to_owned(), "b".to_owned()]), "rotation: exactly one refetch");
    for i in 0..100 {
        let kid = format!("made-up-{i}");
        let (fetches, _) = run(&mut remote, 41.0 + f64::from(i) / 10.0, Want::Kid(Some(&kid)), &mut |_| ok(&new, "max-age=600"));
        assert!(fetches.is_empty(), "within the cooldown");
    }
    assert_eq!(run(&mut remote, 71.0, Want::Kid(Some("x")), &mut |_| ok(&new, "max-age=600")).0.len(), 1, "after the cooldown");
    assert_eq!(run(&mut remote, 200.0, Want::Kid(Some("x")), &mut |_| unreachable!()).0.len(), 0, "a remembered miss");
    assert_eq!(run(&mut remote, 201.0, Want::Kid(Some("y")), &mut |_| ok(&new, "max-age=600")).0.len(), 1);
    assert_eq!(run(&mut remote, 202.0, Want::Kid(None), &mut |_| unreachable!()).0.len(), 0);
}

#[test]
fn a_failed_refresh_serves_stale_then_fails_with_its_code() {
    let body = jwks(&["a"]);
    let mut remote = set();
    run(&mut remote, 0.0, Want::Keys, &mut |_| ok(&body, "max-age=60"));
    let (fetches, step) = run(&mut remote, 60.0, Want::Keys, &mut |_| Outcome::Timeout);
    assert_eq!((fetches.len(), kids(&step)), (1, vec!["a".to_owned()]), "stale-if-error");
    assert_eq!(run(&mut remote, 89.0, Want::Keys, &mut |_| unreachable!()).0.len(), 0, "cooldown after a failure");
    let (fetches, step) = run(&mut remote, 3659.0, Want::Keys, &mut |_| Outcome::Unreachable);
    assert_eq!((fetches.len(), kids(&step).len()), (1, 1));
    let (fetches, step) = run(&mut remote, 3660.0, Want::Keys, &mut |_| unreachable!());
    assert_eq!((fetches.len(), failed(&step)), (0, "ERR_JWKS_UNAVAILABLE"), "past max_staleness, the last failure");
    let (_, step) = run(&mut remote, 3700.0, Want::Keys, &mut |_| Outcome::Timeout);
    assert_eq!(failed(&step), "ERR_JWKS_TIMEOUT");
    let (fetches, step) = run(&mut remote, 3731.0, Want::Keys, &mut |_| ok(&body, "max-age=60"));
    assert_eq!((fetches.len(), kids(&step).len()), (1, 1), "recovers");
}

#[test]
fn stale_if_error_of_the_provider_shortens_the_allowance() {
    let body = jwks(&["a"]);
    let mut remote = set();
    run(&mut remote, 0.0, Want::Keys, &mut |_| ok(&body, "max-age=60, stale-if-error=100"));
    assert_eq!(kids(&run(&mut remote, 159.0, Want::Keys, &mut |_| Outcome::Timeout).1).len(), 1);
    assert_eq!(failed(&run(&mut remote, 160.0, Want::Keys, &mut |_| unreachable!()).1), "ERR_JWKS_TIMEOUT");
}

#[test]
fn bad_documents_never_replace_a_good_copy() {
    let body = jwks(&["a"]);
    let big = " ".repeat(MAX_DOCUMENT_BYTES + 1);
    for (bad, code) in [
        (ok("{", ""), "ERR_JWKS_INVALID"),
        (ok(r#"{"keys": []}"#, ""), "ERR_JWKS_INVALID"),
        (ok(r#"{"keys": [{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}]}"#, ""), "ERR_JWKS_INVALID"),
        (ok(&big, ""), "ERR_JWKS_INVALID"),
        (Outcome::TooLarge, "ERR_JWKS_INVALID"),
        (Outcome::Response { status: 302, body: "", headers: Headers::default() }, "ERR_JWKS_UNAVAILABLE"),
        (Outcome::Response { status: 500, body: "", headers: Headers::default() }, "ERR_JWKS_UNAVAILABLE"),
        (Outcome::Response { status: 304, body: "", headers: Headers::default() }, "ERR_JWKS_UNAVAILABLE"),
    ] {
        let mut cold = set();
        assert_eq!(failed(&run(&mut cold, 0.0, Want::Keys, &mut |_| bad).1), code);
        let mut warm = set();
        run(&mut warm, 0.0, Want::Keys, &mut |_| ok(&body, "max-age=60"));
        assert_eq!(kids(&run(&mut warm, 60.0, Want::Keys, &mut |_| bad).1), vec!["a".to_owned()]);
    }
}

#[test]
fn revalidates_with_the_validators_it_was_given() {
    let body = jwks(&["a"]);
    let mut remote = set();
    let tagged = Headers { cache_control: Some("max-age=60"), etag: Some("\"v1\""), last_modified: Some("Thu, 01 Jan 1970 00:00:00 GMT"), ..Headers::default() };
    run(&mut remote, 0.0, Want::Keys, &mut |_| Outcome::Response { status: 200, body: &body, headers: tagged });
    let not_modified = Outcome::Response { status: 304, body: "", headers: Headers { cache_control: Some("max-age=120"), ..Headers::default() } };
    let (fetches, step) = run(&mut remote, 60.0, Want::Keys, &mut |_| not_modified);
    assert_eq!(fetches[0].if_none_match.as_deref(), Some("\"v1\""));
    assert_eq!(fetches[0].if_modified_since.as_deref(), Some("Thu, 01 Jan 1970 00:00:00 GMT"));
    assert_eq!(kids(&step).len(), 1);
    assert_eq!(run(&mut remote, 179.0, Want::Keys, &mut |_| unreachable!()).0.len(), 0, "304's max-age");
}

#[test]
fn one_flight_at_a_time() {
    let body = jwks(&["a"]);
    let mut remote = set();
    let Step::Fetch(request) = remote.step(0.0, Want::Keys, true) else { panic!("no fetch") };
    assert!(matches!(remote.step(0.0, Want::Keys, true), Step::Wait));
    assert!(matches!(remote.step(0.0, Want::Keys, false), Step::Fetch(_)), "a host that cannot wait fetches when it has no copy");
    assert!(remote.settle(1.0, &request, ok(&body, "max-age=60")).is_ok());
    let Step::Fetch(request) = remote.step(61.0, Want::Keys, false) else { panic!("no refresh") };
    assert_eq!(kids(&remote.step(61.0, Want::Keys, false)).len(), 1, "others serve the copy meanwhile");
    assert!(matches!(remote.step(68.0, Want::Keys, true), Step::Fetch(_)), "a flight that never settles is given up");
    assert!(remote.settle(68.0, &request, ok(&body, "max-age=60")).is_ok());
}

#[test]
fn discovery_finds_the_set_and_checks_the_issuer() {
    let body = jwks(&["a"]);
    let issuer = "https://idp.example";
    let document = format!(r#"{{"issuer":"{issuer}","jwks_uri":"https://keys.idp.example/jwks"}}"#);
    let mut remote = RemoteKeySet::new(Source::Issuer(issuer.into()), Settings::default()).unwrap();
    let (fetches, step) = run(&mut remote, 0.0, Want::Keys, &mut |request| match request.discovery {
        true => ok(&document, "max-age=3600"),
        false => ok(&body, "max-age=60"),
    });
    let urls: Vec<&str> = fetches.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(urls, ["https://idp.example/.well-known/openid-configuration", "https://keys.idp.example/jwks"]);
    assert_eq!(kids(&step).len(), 1);
    assert_eq!(run(&mut remote, 60.0, Want::Keys, &mut |_| ok(&body, "max-age=60")).0.len(), 1, "the document stays fresh");
    let other = r#"{"issuer":"https://evil.example","jwks_uri":"https://evil.example/jwks"}"#;
    let mut mismatched = RemoteKeySet::new(Source::Issuer(issuer.into()), Settings::default()).unwrap();
    assert_eq!(failed(&run(&mut mismatched, 0.0, Want::Keys, &mut |_| ok(other, "")).1), "ERR_JWKS_INVALID");
}

#[test]
fn a_shared_copy_is_adopted_when_newer() {
    let (old, new) = (jwks(&["a"]), jwks(&["a", "b"]));
    let mut first = set();
    run(&mut first, 100.0, Want::Keys, &mut |_| ok(&new, "max-age=300"));
    let (record, keep_until) = first.shared().unwrap();
    assert_eq!(keep_until, 100.0 + 300.0 + 3600.0);
    let mut second = set();
    run(&mut second, 0.0, Want::Keys, &mut |_| ok(&old, "max-age=300"));
    assert!(matches!(second.step(110.0, Want::Kid(Some("b")), false), Step::Fetch(_)));
    assert!(second.adopt(&record));
    assert!(!second.adopt(&record), "not newer");
    assert!(!second.adopt("{}"));
    assert_eq!(kids(&second.step(110.0, Want::Keys, false)).len(), 2);
    let (fetches, step) = run(&mut second, 111.0, Want::Kid(Some("c")), &mut |_| unreachable!());
    assert_eq!((fetches.len(), kids(&step).len()), (0, 2), "fetched by another isolate within the cooldown");
}

#[test]
fn settings_and_urls_are_checked() {
    let bad = Settings { max_age: 10.0, min_age: 20.0, ..Settings::default() };
    assert!(RemoteKeySet::new(Source::Jwks(URL.into()), bad).is_err());
    assert!(RemoteKeySet::new(Source::Jwks(URL.into()), Settings { timeout: f64::NAN, ..Settings::default() }).is_err());
    assert!(RemoteKeySet::new(Source::Jwks("http://idp.example/jwks".into()), Settings::default()).is_err());
}

#[test]
fn precheck_refuses_before_any_fetch() {
    let key = Key::generate(Algorithm::ES256, Some("k")).unwrap();
    let mint = crate::jwt::Mint { issuer: Some("https://idp.example".into()), ..crate::jwt::Mint::default() };
    let token = mint.sign(&serde_json::Map::new(), &key).unwrap();
    let validation = |issuer: &str| Validation { issuers: Some(vec![issuer.into()]), ..Validation::new(&[Algorithm::ES256]) };
    assert!(precheck(&token, &validation("https://idp.example")).is_ok());
    assert_eq!(precheck(&token, &validation("https://other.example")).unwrap_err().code(), "ERR_JWT_CLAIM_VALIDATION_FAILED");
    assert_eq!(precheck(&token, &Validation::new(&[Algorithm::RS256])).unwrap_err().code(), "ERR_JOSE_ALG_NOT_ALLOWED");
    assert_eq!(precheck("not.a.token", &Validation::new(&[Algorithm::ES256])).unwrap_err().code(), "ERR_JWS_INVALID");
}
