//! Hexadecimal decoding (either case), for Moose hashes and test vectors.

/// Decodes an even-length string of hex digits; `None` for anything else.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let digits: Option<Vec<u8>> =
        text.chars().map(|c| c.to_digit(16).and_then(|d| u8::try_from(d).ok())).collect();
    let digits = digits?;
    let pairs = digits.chunks_exact(2);
    if !pairs.remainder().is_empty() {
        return None;
    }
    Some(pairs.map(|pair| pair.iter().fold(0u8, |acc, d| (acc << 4) | d)).collect())
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_both_cases_and_refuses_the_rest() {
        assert_eq!(decode("00ff7Fa0").unwrap(), [0x00, 0xff, 0x7f, 0xa0]);
        assert_eq!(decode("").unwrap(), b"");
        for bad in ["0", "0g", "+1", " 01", "\u{e9}0"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }
}
