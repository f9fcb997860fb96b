//! Attacks on the JWS layer: algorithms, headers, structure, encoding, size.

use crate::util::{b64, forged, hs256, refused, set_of, signed, unb64};
use edgeauth::{Algorithm, Error, Key};

const ALL: &[Algorithm] = &Algorithm::ALL;

/// `alg: none` in all 16 case spellings and padded, signed or not, with every
/// algorithm allowed (RFC 7518 3.6).
#[test]
fn alg_none_in_every_spelling() {
    let cases = (0..16u8).map(|mask| "none".chars().enumerate().map(|(i, c)| if mask >> i & 1 == 1 { c.to_ascii_uppercase() } else { c }).collect::<String>());
    for alg in cases.chain([" none".to_owned(), "none ".to_owned(), r"none\u0000".to_owned()]) {
        for signature in [&b""[..], b"sig"] {
            let token = forged(&format!(r#"{{"alg":"{alg}"}}"#), "{}", signature);
            assert_eq!(refused(&token, &hs256(), ALL).code(), "ERR_JOSE_ALG_NOT_ALLOWED", "{alg}");
        }
    }
}

/// A public RSA or EC key's bytes (PEM, JWK JSON, raw modulus or point) used
/// as an HMAC secret (algorithm confusion, CVE-2015-9235 and kin).
#[test]
fn public_keys_as_hmac_secrets() {
    let rsa_pem = include_str!("../data/rsa2048.spki.pem");
    let ec_pem = include_str!("../data/p256.spki.pem");
    let rsa = Key::from_pem(rsa_pem, Algorithm::RS256, Some("k")).unwrap();
    let ec = Key::from_pem(ec_pem, Algorithm::ES256, Some("k")).unwrap();
    let rsa_jwk = rsa.to_jwk(false).unwrap();
    let ec_jwk = ec.to_jwk(false).unwrap();
    let modulus = unb64(rsa_jwk["n"].as_str().unwrap());
    let point = [unb64(ec_jwk["x"].as_str().unwrap()), unb64(ec_jwk["y"].as_str().unwrap())].concat();
    let jwk_text = |jwk| serde_json::Value::Object(jwk).to_string().into_bytes();
    let secrets = [rsa_pem.as_bytes().to_vec(), jwk_text(rsa_jwk), modulus, ec_pem.as_bytes().to_vec(), jwk_text(ec_jwk), point];
    for secret in secrets {
        let forger = Key::from_secret(&secret, Algorithm::HS256, None).unwrap();
        let token = signed(r#"{"alg":"HS256","kid":"k"}"#, "{}", &forger);
        for public in [&rsa, &ec] {
            assert_eq!(refused(&token, public, ALL).code(), "ERR_JOSE_ALG_NOT_ALLOWED");
            assert_eq!(refused(&token, &set_of(&[public]), ALL), Error::JwksNoMatchingKey);
        }
    }
}

/// ECDSA r = s = 0 and r = s = n ("psychic signatures", CVE-2022-21449), every curve.
#[test]
fn ecdsa_zero_and_order_signatures() {
    let orders = [
        ("ES256", "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
        ("ES384", "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
        ("ES512", "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409"),
    ];
    // The group orders n (SEC 2); P-521's is from RustCrypto's p521 crate.
    for (name, order) in orders {
        let alg = Algorithm::from_name(name).unwrap();
        let key = Key::generate(alg, None).unwrap();
        let n: Vec<u8> = (0..order.len()).step_by(2).map(|i| u8::from_str_radix(&order[i..i + 2], 16).unwrap()).collect();
        let header = format!(r#"{{"alg":"{name}"}}"#);
        for signature in [vec![0; 2 * n.len()], [n.clone(), n.clone()].concat()] {
            let token = forged(&header, "{}", &signature);
            assert_eq!(refused(&token, &key, ALL), Error::SignatureVerificationFailed, "{name}");
        }
    }
}

/// DER-encoded ECDSA signatures and raw ones a byte short or long.
#[test]
fn ecdsa_der_and_wrong_lengths() {
    let key = Key::generate(Algorithm::ES256, None).unwrap();
    let token = signed(r#"{"alg":"ES256"}"#, "{}", &key);
    let (input, sig) = token.rsplit_once('.').unwrap();
    let raw = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, sig).unwrap();
    let (r, s) = raw.split_at(32);
    let der = [&[0x30, 0x46, 0x02, 0x21, 0x00][..], r, &[0x02, 0x21, 0x00], s].concat();
    for bad in [der, raw[..63].to_vec(), [raw.clone(), vec![0]].concat()] {
        let token = format!("{input}.{}", b64(bad));
        assert_eq!(refused(&token, &key, ALL), Error::SignatureVerificationFailed);
    }
}

/// The attacker's own key embedded as `jwk`, or pointed to by `jku`, `x5u`, `x5c` (CVE-2018-0114).
#[test]
fn embedded_and_remote_key_headers_are_never_used() {
    let victim = Key::generate(Algorithm::EdDSA, Some("v")).unwrap();
    let attacker = Key::generate(Algorithm::EdDSA, Some("v")).unwrap();
    let attacker_jwk = serde_json::Value::Object(attacker.to_jwk(false).unwrap());
    let headers = [
        format!(r#"{{"alg":"EdDSA","kid":"v","jwk":{attacker_jwk}}}"#),
        r#"{"alg":"EdDSA","kid":"v","jku":"https://evil.example/jwks.json"}"#.to_owned(),
        r#"{"alg":"EdDSA","kid":"v","x5u":"https://evil.example/cert.pem"}"#.to_owned(),
        r#"{"alg":"EdDSA","kid":"v","x5c":["MIIB"]}"#.to_owned(),
    ];
    for header in headers {
        let token = signed(&header, "{}", &attacker);
        assert_eq!(refused(&token, &set_of(&[&victim]), ALL), Error::SignatureVerificationFailed, "{header}");
    }
}

/// `kid` path traversal, SQL injection, NUL bytes and a huge kid: no key, no panic.
#[test]
fn kid_injection_strings() {
    let set = set_of(&[&hs256()]);
    for kid in ["../../etc/passwd", "' OR 1=1--", "hs\u{0}", "hs\\", &"k".repeat(10_000), ""] {
        let header = serde_json::json!({"alg": "HS256", "kid": kid}).to_string();
        let token = signed(&header, "{}", &hs256());
        assert_eq!(refused(&token, &set, ALL), Error::JwksNoMatchingKey, "{kid:.20}");
    }
}

/// Every malformed `crit`, and a well-formed one naming an extension nobody understands (RFC 7515 4.1.11).
#[test]
fn crit_malformed_and_unknown() {
    let malformed = [
        r#"{"alg":"HS256","crit":"x","x":1}"#,
        r#"{"alg":"HS256","crit":[],"x":1}"#,
        r#"{"alg":"HS256","crit":[1]}"#,
        r#"{"alg":"HS256","crit":["alg"]}"#,
        r#"{"alg":"HS256","crit":["kid"],"kid":"a"}"#,
        r#"{"alg":"HS256","crit":["x"]}"#,
        r#"{"alg":"HS256","crit":["x","x"],"x":1}"#,
        r#"{"alg":"HS256","crit":null}"#,
        r#"{"alg":"HS256","crit":{"x":1},"x":1}"#,
    ];
    for header in malformed {
        assert_eq!(refused(&signed(header, "{}", &hs256()), &hs256(), ALL).code(), "ERR_JWS_INVALID", "{header}");
    }
    let unknown = signed(r#"{"alg":"HS256","crit":["x"],"x":1}"#, "{}", &hs256());
    assert_eq!(refused(&unknown, &hs256(), ALL).code(), "ERR_JOSE_NOT_SUPPORTED");
}

/// An unencoded payload (`b64: false`, RFC 7797), with and without `crit`.
#[test]
fn unencoded_payload() {
    for header in [r#"{"alg":"HS256","b64":false}"#, r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#] {
        assert_eq!(refused(&signed(header, "{}", &hs256()), &hs256(), ALL).code(), "ERR_JOSE_NOT_SUPPORTED");
    }
}

/// Duplicate header members, also when one is spelled with an escape.
#[test]
fn duplicate_header_members() {
    for header in [r#"{"alg":"HS256","alg":"none"}"#, r#"{"alg":"none","\u0061lg":"HS256"}"#] {
        assert_eq!(refused(&signed(header, "{}", &hs256()), &hs256(), ALL).code(), "ERR_JWS_INVALID");
    }
}

/// Empty, truncated and extended signatures.
#[test]
fn empty_truncated_and_extended_signatures() {
    let token = signed(r#"{"alg":"HS256"}"#, "{}", &hs256());
    let (input, sig) = token.rsplit_once('.').unwrap();
    let raw = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, sig).unwrap();
    for bad in [vec![], raw[..31].to_vec(), raw[..1].to_vec(), [raw.clone(), vec![0]].concat()] {
        let token = format!("{input}.{}", b64(bad));
        assert_eq!(refused(&token, &hs256(), ALL), Error::SignatureVerificationFailed);
    }
}

/// Two, four and five segments.
#[test]
fn wrong_segment_counts() {
    let token = signed(r#"{"alg":"HS256"}"#, "{}", &hs256());
    let (input, _) = token.rsplit_once('.').unwrap();
    for bad in [input.to_owned(), format!("{token}.x"), format!("{token}.x.y"), format!("{token}.")] {
        assert_eq!(refused(&bad, &hs256(), ALL), Error::JwsInvalid("a compact JWS has exactly three segments"));
    }
}

/// Padding, the standard alphabet, whitespace and non-zero trailing bits in each segment.
#[test]
fn non_canonical_base64() {
    // Header and payload chosen so that every segment holds '-' or '_'.
    let token = signed(r#"{"alg":"HS256","x":"??>"}"#, r#"{"a":"??>"}"#, &hs256());
    let parts: Vec<&str> = token.split('.').collect();
    for segment in 0..3 {
        for suffix in ["=", " ", "\n"] {
            let mut bad: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
            bad[segment] = format!("{}{suffix}", bad[segment]);
            assert_eq!(refused(&bad.join("."), &hs256(), ALL).code(), "ERR_JWS_INVALID", "{segment} {suffix:?}");
        }
        let mut standard: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
        standard[segment] = standard[segment].replace('-', "+").replace('_', "/");
        assert_ne!(standard[segment], parts[segment], "segment {segment} has no '-' or '_' to swap");
        assert_eq!(refused(&standard.join("."), &hs256(), ALL).code(), "ERR_JWS_INVALID");
    }
    let trailing = format!("{}.{}.{}", parts[0], "e30", parts[2]).replace(".e30.", ".e31.");
    assert_eq!(refused(&trailing, &hs256(), ALL).code(), "ERR_JWS_INVALID");
}

/// Invalid UTF-8 and lone surrogates in the header.
#[test]
fn invalid_text_in_the_header() {
    let key = hs256();
    let raw_header = [&br#"{"alg":"HS256","x":""#[..], &[0xff, 0xfe], br#""}"#].concat();
    let input = format!("{}.{}", b64(&raw_header), b64("{}"));
    let token = format!("{input}.{}", b64(edgeauth::jws::signature(&key, input.as_bytes()).unwrap()));
    assert_eq!(refused(&token, &key, ALL).code(), "ERR_JWS_INVALID");
    let surrogate = signed(r#"{"alg":"HS256","x":"\ud800"}"#, "{}", &key);
    assert_eq!(refused(&surrogate, &key, ALL).code(), "ERR_JWS_INVALID");
}

/// 100,000-deep nesting in the header: refused without exhausting the stack.
#[test]
fn deep_nesting_in_the_header() {
    let header = format!(r#"{{"alg":"HS256","x":{}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
    let token = forged(&header, "{}", b"s");
    let validation = edgeauth::jwt::Validation { max_token_size: 1 << 20, ..crate::util::at_now(ALL) };
    let error = edgeauth::jwt::verify(&token, &hs256(), &validation).unwrap_err();
    assert_eq!(error, Error::JwsInvalid("the JWS header is nested too deeply"));
}

/// A 1 MiB token is refused by its size, before any decoding (the segments
/// here are valid base64url, so only the size check can name this error).
#[test]
fn a_one_mebibyte_token() {
    let token = format!("{}.{}.{}", "e".repeat(1 << 19), "e".repeat(1 << 19), "e");
    assert_eq!(refused(&token, &hs256(), ALL), Error::JwtTooLarge { max: 16 * 1024 });
}
