//! Attacks on API keys, basic auth, bearer parsing and stored hashes.

use edgeauth::apikey::ApiKeyFormat;
use edgeauth::http_auth::{parse_basic, parse_bearer, MAX_CREDENTIAL_LEN};
use edgeauth::secret_hash::verify_secret;

/// API keys of the wrong length, with a wrong checksum, trailing whitespace or another prefix.
#[test]
fn malformed_api_keys() {
    let format = ApiKeyFormat::default();
    let key = format.generate().unwrap().token;
    let last = key.chars().last().unwrap();
    let wrong_checksum = format!("{}{}", &key[..key.len() - 1], if last == 'A' { 'B' } else { 'A' });
    let other_prefix = key.replacen("eak_", "xyz_", 1);
    let bad = [key[..key.len() - 1].to_owned(), format!("{key}A"), wrong_checksum, format!("{key} "), format!("{key}\n"), other_prefix, String::new(), "x".repeat(MAX_CREDENTIAL_LEN + 1)];
    for token in bad {
        assert_eq!(format.parse(&token).unwrap_err().code(), "ERR_CREDENTIAL_MALFORMED", "{token:.40}");
    }
    assert!(format.parse(&key).is_ok());
}

/// Bearer scheme variants: case is free (RFC 7235), spacing and trailing whitespace are not.
#[test]
fn bearer_scheme_variants() {
    for good in ["Bearer abc", "bearer abc", "BEARER abc"] {
        assert_eq!(parse_bearer(good).unwrap(), "abc");
    }
    let oversize = format!("Bearer {}", "a".repeat(MAX_CREDENTIAL_LEN));
    for bad in ["Bearer  abc", "Bearer\tabc", "Bearer abc ", "Bearer ", "Bearer", "abc", "Basic abc", "Bearer a b", "", oversize.as_str()] {
        assert_eq!(parse_bearer(bad).unwrap_err().code(), "ERR_CREDENTIAL_MALFORMED", "{bad:.20}");
    }
}

/// Basic auth with bad base64, no colon, bad spacing, non-UTF-8 or oversize.
#[test]
fn malformed_basic_headers() {
    use base64::Engine;
    let encode = |raw: &[u8]| base64::engine::general_purpose::STANDARD.encode(raw);
    let oversize = format!("Basic {}", encode(&vec![b'a'; MAX_CREDENTIAL_LEN]));
    let bad = ["Basic !!!".to_owned(), format!("Basic {}", encode(b"nocolon")), format!("Basic  {}", encode(b"a:b")),
        format!("Basic {}", encode(&[0xff, b':', 0xfe])), format!("Basic {} ", encode(b"a:b")), oversize];
    for header in bad {
        assert_eq!(parse_basic(&header).unwrap_err().code(), "ERR_CREDENTIAL_MALFORMED", "{header:.30}");
    }
    assert_eq!(parse_basic(&format!("basic {}", encode(b"ada:pw:with:colons"))).unwrap().password, "pw:with:colons");
}

/// A stored hash with a hostile iteration count or cost is refused, not
/// computed (four billion PBKDF2 iterations would not finish).
#[test]
fn hostile_stored_hashes() {
    for stored in ["$pbkdf2-sha256$i=4000000000$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "$pbkdf2-sha256$i=0$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "$2b$31$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui", "$md5$x", "plaintext", ""] {
        assert_eq!(verify_secret(b"secret", stored).unwrap_err().code(), "ERR_HASH_INVALID", "{stored}");
    }
}
