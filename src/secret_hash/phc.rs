//! The PHC string format, as edgeauth writes and reads it.
//!
//! `$<id>[$<params>]$<salt>$<hash>` where `<salt>` and `<hash>` are B64 as the
//! PHC specification defines it: standard base64 (RFC 4648 section 4) without
//! padding. Decoding is canonical (no padding, no whitespace, no non-zero
//! trailing bits), so every value has exactly one accepted spelling. Salts are
//! between 8 and 64 bytes; each algorithm checks its own parameters and hash.

use crate::{Error, Result};
use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use std::ops::RangeInclusive;

const B64: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

/// The salt lengths accepted in a stored hash.
const SALT_LEN: RangeInclusive<usize> = 8..=64;

/// The fields of a parsed PHC string.
pub(super) struct Phc<'a> {
    pub(super) id: &'a str,
    pub(super) params: Option<&'a str>,
    pub(super) salt: Vec<u8>,
    pub(super) hash: Vec<u8>,
}

/// Splits and decodes a PHC string; the caller checks `id`, `params` and `hash`.
pub(super) fn parse(stored: &str) -> Result<Phc<'_>> {
    let body = stored.strip_prefix('$').ok_or(malformed())?;
    let fields: Vec<&str> = body.split('$').collect();
    let (id, params, salt, hash) = match fields.as_slice() {
        [id, salt, hash] => (*id, None, *salt, *hash),
        [id, params, salt, hash] => (*id, Some(*params), *salt, *hash),
        _ => return Err(malformed()),
    };
    let salt = decode(salt)?;
    if !SALT_LEN.contains(&salt.len()) {
        return Err(Error::HashInvalid("stored hash salt must be 8 to 64 bytes"));
    }
    Ok(Phc { id, params, salt, hash: decode(hash)? })
}

/// Writes a PHC string.
pub(super) fn format(id: &str, params: Option<&str>, salt: &[u8], hash: &[u8]) -> String {
    let params = params.map(|p| format!("${p}")).unwrap_or_default();
    format!("${id}{params}${}${}", B64.encode(salt), B64.encode(hash))
}

fn decode(field: &str) -> Result<Vec<u8>> {
    B64.decode(field)
        .map_err(|_| Error::HashInvalid("stored hash salt or hash is not canonical base64"))
}

fn malformed() -> Error {
    Error::HashInvalid("stored hash is not a well-formed PHC string")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_and_without_params() {
        let text = format("x", Some("i=5"), b"saltsalt", b"hash");
        assert_eq!(text, "$x$i=5$c2FsdHNhbHQ$aGFzaA");
        let phc = parse(&text).unwrap();
        assert_eq!((phc.id, phc.params), ("x", Some("i=5")));
        assert_eq!((phc.salt.as_slice(), phc.hash.as_slice()), (&b"saltsalt"[..], &b"hash"[..]));
        let text = format("y", None, b"saltsalt", b"");
        let phc = parse(&text).unwrap();
        assert_eq!((phc.id, phc.params), ("y", None));
    }

    #[test]
    fn refuses_malformed_strings() {
        for bad in [
            "",
            "$",
            "x$c2FsdHNhbHQ$aGFzaA",
            "$x$c2FsdHNhbHQ",
            "$x$a$b$c2FsdHNhbHQ$aGFzaA",
            "$x$c2FsdHNhbHQ=$aGFzaA",
            "$x$c2FsdHNhbHQ$aGFzaA==",
            "$x$c2Fsd HNhbHQ$aGFzaA",
            "$x$c2FsdHNhbHR$aGFzaA",
            "$x$c2FsdHNhbHQ$aGF_aA",
            "$x$c2FsdA$aGFzaA",
        ] {
            assert!(matches!(parse(bad), Err(Error::HashInvalid(_))), "{bad:?}");
        }
    }
}
