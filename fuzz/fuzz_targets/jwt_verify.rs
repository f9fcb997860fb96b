//! Token parsing and verification: any input must give a result, never a
//! panic; a token that verifies decodes, without verification, to the same
//! header and claims, and verifies again to them; claims checked while a
//! host checks the signature (`prevalidate`) give what `verify` gives; and
//! the texts handed to JS parse to the header and claims that were checked.
#![no_main]

use edgeauth::jwt::{self, Validation};
use edgeauth::{Algorithm, Key, KeySet};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn keys() -> &'static KeySet {
    static KEYS: OnceLock<KeySet> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut set = KeySet::new();
        set.add(Key::from_secret(&[1; 64], Algorithm::HS256, Some("hs")).unwrap());
        for alg in [Algorithm::ES256, Algorithm::ES512, Algorithm::EdDSA] {
            set.add(Key::generate(alg, Some(alg.name())).unwrap());
        }
        // The kid of the seed tokens' RSA key (tests/fuzz_seeds.rs), so that
        // they verify and the properties below are exercised from the start.
        set.add(Key::from_pem(include_str!("../../tests/data/rsa2048.spki.pem"), Algorithm::RS256, Some("rsa-test")).unwrap());
        set
    })
}

/// Two steps with the claims checked early agree with one step.
fn prevalidated_agrees(token: &str, validation: &Validation) {
    let Ok(unverified) = jwt::unverified(token, keys(), validation) else { return };
    let early = jwt::prevalidate(&unverified, validation, 1e9);
    let outcome = unverified.verify().and_then(|verified| early.release(verified, validation, 1e9));
    assert_eq!(outcome, jwt::verify(token, keys(), validation), "prevalidate disagrees with verify on {token}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else { return };
    let decoded = jwt::decode(token);
    let validation = Validation { current_time: Some(1e9), ..Validation::new(&Algorithm::ALL) };
    prevalidated_agrees(token, &validation);
    if let Ok(jwt) = &decoded {
        assert_eq!(serde_json::from_str::<serde_json::Value>(&jwt.claims_json).ok(), Some(jwt.claims.clone().into()));
        assert_eq!(serde_json::from_str::<serde_json::Value>(jwt.header.json()).ok(), Some(jwt.header.members().clone().into()));
    }
    let Ok(verified) = jwt::verify(token, keys(), &validation) else { return };
    assert_eq!(decoded.as_ref().ok(), Some(&verified), "decode disagrees with verify on {token}");
    assert_eq!(jwt::verify(token, keys(), &validation).ok(), Some(verified), "a second verify disagrees on {token}");
});
