//! The binding layer inside a real JS engine: `wasm-pack test --node` and
//! `wasm-pack test --headless --chrome` (scripts/wasm-test.sh) run these.
//! Randomness, the clock and error objects all come from the host here.

use super::credentials::{generate_api_key, verify_secret_js};
use super::error::JsResult;
use super::jwt::{decode, verify_with_key, verify_with_key_set, JsVerifier};
use super::signing::JsSigning;
use super::keys::{JsKey, JsKeySet};
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// A token signed as the package's `sign` signs where the host does not (wasm alone).
fn sign(payload: &str, key: &JsKey, options: &str) -> JsResult<String> {
    JsSigning::new(payload, key, options)?.sign_here()
}

#[cfg(feature = "browser-tests")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const ALGORITHMS: [&str; 4] = ["HS256", "ES256", "ES512", "EdDSA"];

fn code_of(error: JsValue) -> String {
    Reflect::get(&error, &"code".into()).ok().and_then(|code| code.as_string()).unwrap_or_default()
}

#[wasm_bindgen_test]
fn generated_keys_sign_and_verify_with_host_randomness_and_clock() {
    for alg in ALGORITHMS {
        let key = JsKey::generate(alg, None).unwrap();
        let token = sign(r#"{"sub":"browser"}"#, &key, r#"{"expiresIn":60}"#).unwrap();
        let options = format!(r#"{{"algorithms":["{alg}"]}}"#);
        let verified = verify_with_key(&token, &key, &options).unwrap();
        assert!(verified.contains(r#""sub":"browser""#), "{alg}");
    }
}

#[wasm_bindgen_test]
fn errors_cross_as_objects_with_codes() {
    let key = JsKey::generate("HS256", None).unwrap();
    let token = sign("{}", &key, r#"{"expiresIn":60}"#).unwrap();
    let error = verify_with_key(&token, &key, r#"{"algorithms":["RS256"]}"#).unwrap_err();
    assert_eq!(code_of(error), "ERR_JOSE_ALG_NOT_ALLOWED");
    assert_eq!(code_of(decode("a.b").unwrap_err()), "ERR_JWS_INVALID");
    assert!(verify_with_key(&token, &key, r#"{"algorithms":["HS256"],"audiance":"x"}"#)
        .unwrap_err()
        .is_instance_of::<js_sys::TypeError>());
}

/// Whatever the wrapper lets through, the engine itself refuses an option
/// that would read as "no check": null, an empty allow-list or string, a
/// negative time.
#[wasm_bindgen_test]
fn options_that_would_turn_a_check_off_are_type_errors() {
    let key = JsKey::generate("HS256", None).unwrap();
    let token = sign(r#"{"iss":"evil","aud":"other"}"#, &key, r#"{"expiresIn":60}"#).unwrap();
    for option in [r#""issuer":null"#, r#""issuer":[]"#, r#""audience":[]"#, r#""audience":[""]"#, r#""issuer":"""#, r#""subject":"""#,
        r#""typ":"""#, r#""maxTokenAge":null"#, r#""currentDate":null"#, r#""currentDate":-1"#, r#""clockTolerance":null"#,
        r#""maxTokenSize":null"#, r#""requireExp":null"#, r#""audience":["a",null]"#] {
        let options = format!(r#"{{"algorithms":["HS256"],{option}}}"#);
        let error = verify_with_key(&token, &key, &options).unwrap_err();
        assert!(error.is_instance_of::<js_sys::TypeError>(), "{option}");
    }
    for option in [r#""audience":null"#, r#""audience":[]"#, r#""expiresIn":null"#, r#""currentDate":-1"#] {
        assert!(sign("{}", &key, &format!("{{{option}}}")).unwrap_err().is_instance_of::<js_sys::TypeError>(), "{option}");
    }
}

#[wasm_bindgen_test]
fn key_sets_and_verifiers() {
    let key = JsKey::generate("ES256", Some("k1".into())).unwrap();
    let mut set = JsKeySet::new(None).unwrap();
    set.add(&key);
    let public = JsKeySet::new(Some(set.to_jwks())).unwrap();
    assert_eq!(public.size(), 1);
    let token = sign("{}", &key, r#"{"expiresIn":60}"#).unwrap();
    verify_with_key_set(&token, &public, r#"{"algorithms":["ES256"]}"#).unwrap();
    let verifier = JsVerifier::with_key_set(&public, r#"{"algorithms":["ES256"]}"#).unwrap();
    // Remembered once verified: the core states its sure window, and answers
    // it again the same.
    assert!(verifier.sure_window(&token).is_none());
    let first = verifier.verify(&token).unwrap();
    assert!(verifier.sure_window(&token).is_some());
    assert_eq!(verifier.verify(&token).unwrap(), first);
}

#[wasm_bindgen_test]
fn api_keys_verify_against_their_hash() {
    let generated: serde_json::Value = serde_json::from_str(&generate_api_key(None).unwrap()).unwrap();
    let (token, hash) = (generated["token"].as_str().unwrap(), generated["hash"].as_str().unwrap());
    assert!(verify_secret_js(token.as_bytes(), hash).unwrap());
    assert!(!verify_secret_js(b"wrong", hash).unwrap());
}
