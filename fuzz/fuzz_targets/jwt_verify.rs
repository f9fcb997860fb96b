//! Token parsing and verification: any input must give a result, never a
//! panic; and a token that verifies decodes, without verification, to the
//! same header and claims, and verifies again to them.
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

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else { return };
    let decoded = jwt::decode(token);
    let validation = Validation { current_time: Some(1e9), ..Validation::new(&Algorithm::ALL) };
    let Ok(verified) = jwt::verify(token, keys(), &validation) else { return };
    assert_eq!(decoded.as_ref().ok(), Some(&verified), "decode disagrees with verify on {token}");
    assert_eq!(jwt::verify(token, keys(), &validation).ok(), Some(verified), "a second verify disagrees on {token}");
});
