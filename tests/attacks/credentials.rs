//! Attacks on API keys, basic auth, bearer parsing and stored hashes.

use edgeauth::apikey::ApiKeyFormat;
use edgeauth::http_auth::{parse_basic, parse_bearer, ServiceTokenSource, MAX_CREDENTIAL_LEN};
use edgeauth::secret_hash::{hash_secret, verify_secret, HashAlgorithm};

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

/// Service tokens: a query token outside a WebSocket upgrade is not read,
/// one presented twice is refused, and trailing whitespace, spaces, percent
/// escapes, oversize values and near misses never pass.
#[test]
fn service_token_variants() {
    let source = ServiceTokenSource::default();
    let token = "svc-0123456789abcdef0123456789abcdef";
    let stored = hash_secret(token.as_bytes(), HashAlgorithm::HmacSha256).unwrap();
    let query = format!("token={token}");
    assert_eq!(source.extract(None, Some(&query), false).unwrap(), None, "query token without an upgrade");
    assert_eq!(source.extract(None, Some(&query), true).unwrap(), Some(token));
    let twice = [(Some(token), Some(query.clone())), (None, Some(format!("{query}&{query}")))];
    for (header, query) in twice {
        assert_eq!(source.extract(header, query.as_deref(), true).unwrap_err().code(), "ERR_CREDENTIAL_MALFORMED");
    }
    let oversize = "a".repeat(MAX_CREDENTIAL_LEN + 1);
    for bad in [format!("{token} "), format!(" {token}"), "a b".to_owned(), String::new(), oversize.clone()] {
        assert_eq!(source.extract(Some(&bad), None, false).unwrap_err().code(), "ERR_CREDENTIAL_MALFORMED", "{bad:.40}");
    }
    for bad in ["token=a%20b", "token=a+b", "token=", &format!("token={oversize}")] {
        assert_eq!(source.extract(None, Some(bad), true).unwrap_err().code(), "ERR_CREDENTIAL_MALFORMED", "{bad:.40}");
    }
    let near_misses = [token.to_uppercase(), token[..token.len() - 1].to_owned(), format!("{token}0")];
    for wrong in near_misses {
        assert!(!verify_secret(wrong.as_bytes(), &stored).unwrap(), "{wrong}");
    }
    assert!(verify_secret(token.as_bytes(), &stored).unwrap());
}
