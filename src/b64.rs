//! Strict base64url without padding (RFC 7515 section 2).
//!
//! Decoding accepts only the canonical encoding: the URL-safe alphabet, no
//! padding, no whitespace and no non-zero trailing bits, so every byte string
//! has exactly one accepted spelling.

use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

const STRICT: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

pub(crate) fn encode(bytes: impl AsRef<[u8]>) -> String {
    STRICT.encode(bytes)
}

/// Decodes canonical base64url; `None` for anything else.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    STRICT.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37) as u8).collect();
            assert_eq!(decode(&encode(&bytes)).unwrap(), bytes);
        }
    }

    #[test]
    fn refuses_non_canonical_spellings() {
        for bad in ["YQ==", "YQ=", "Y Q", "a+b/", "YR", "Y", "YQ\n", "\u{e9}"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
        assert_eq!(decode("YQ").unwrap(), b"a");
    }
}
