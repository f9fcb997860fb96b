//! Constant-time equality of byte strings of any lengths.
//!
//! Both sides are first MACed with HMAC-SHA256 under a fixed key, and the two
//! 32-byte tags are compared by `ring::hmac::verify`, which ring documents as
//! constant-time. So the comparison never stops early, whatever the contents,
//! and strings of different lengths are compared like any others (the MAC's
//! own running time depends only on the lengths, which are not secret here).

use ring::hmac;

/// The MAC key: it need not be secret, it only brings both sides to one length.
const KEY: &[u8] = b"edgeauth constant-time comparison";

/// Whether `a` and `b` are equal, in time independent of their contents.
pub(crate) fn equal(a: &[u8], b: &[u8]) -> bool {
    let key = hmac::Key::new(hmac::HMAC_SHA256, KEY);
    hmac::verify(&key, a, hmac::sign(&key, b).as_ref()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::equal;

    #[test]
    fn compares_contents_and_lengths() {
        assert!(equal(b"same", b"same"));
        assert!(equal(b"", b""));
        assert!(!equal(b"same", b"sane"));
        assert!(!equal(b"same", b"same "));
        assert!(!equal(b"", b"x"));
    }
}
