//! A strict DER reader for the handful of ASN.1 types key files use.
//!
//! Only what SPKI, PKCS#8, PKCS#1 and SEC1 need: one-byte tags, definite
//! lengths in their shortest form (up to 64 KiB, far above an 8192-bit RSA
//! private key), unsigned INTEGERs in minimal encoding, BIT STRINGs without
//! unused bits. Anything else is malformed. The reader borrows from its input
//! and never indexes it unchecked, so no input can make it panic.

use crate::error::{Error, Result};

pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const NULL: u8 = 0x05;
pub(crate) const OID: u8 = 0x06;
pub(crate) const SEQUENCE: u8 = 0x30;

/// `[n]` with constructed contents (EXPLICIT, or IMPLICIT over a SEQUENCE/SET).
pub(crate) const fn context_constructed(n: u8) -> u8 {
    0xa0 | n
}

/// `[n]` with primitive contents (IMPLICIT over a primitive type).
pub(crate) const fn context_primitive(n: u8) -> u8 {
    0x80 | n
}

pub(crate) const MALFORMED: Error = Error::JwkInvalid("the DER key is malformed");

/// Reads DER elements one after another from a byte string.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(der: &'a [u8]) -> Reader<'a> {
        Reader { rest: der }
    }

    /// A reader over the members of `der`, which must be exactly one SEQUENCE.
    pub(crate) fn sequence_of(der: &'a [u8]) -> Result<Reader<'a>> {
        element(der, SEQUENCE).map(Reader::new)
    }

    /// The contents of the next element, which must have `tag`.
    pub(crate) fn read(&mut self, tag: u8) -> Result<&'a [u8]> {
        self.optional(tag)?.ok_or(MALFORMED)
    }

    /// The contents of the next element if it has `tag`; nothing is consumed otherwise.
    pub(crate) fn optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>> {
        match self.rest.split_first() {
            Some((&next, after)) if next == tag => {
                let (len, after) = length(after)?;
                let (contents, rest) = after.split_at_checked(len).ok_or(MALFORMED)?;
                self.rest = rest;
                Ok(Some(contents))
            }
            _ => Ok(None),
        }
    }

    /// A SEQUENCE, as a reader over its members.
    pub(crate) fn sequence(&mut self) -> Result<Reader<'a>> {
        self.read(SEQUENCE).map(Reader::new)
    }

    /// An unsigned INTEGER's big-endian magnitude, without the sign octet.
    pub(crate) fn unsigned(&mut self) -> Result<&'a [u8]> {
        unsigned(self.read(INTEGER)?)
    }

    /// An INTEGER that must be one of the small `allowed` versions.
    pub(crate) fn version(&mut self, allowed: &[u8]) -> Result<u8> {
        match self.read(INTEGER)? {
            [version] if allowed.contains(version) => Ok(*version),
            _ => Err(MALFORMED),
        }
    }

    /// A BIT STRING's bytes; a partial last byte is refused.
    pub(crate) fn bit_string(&mut self) -> Result<&'a [u8]> {
        bits(self.read(BIT_STRING)?)
    }

    /// Succeeds only if every element has been read.
    pub(crate) fn finish(self) -> Result<()> {
        match self.rest.is_empty() {
            true => Ok(()),
            false => Err(MALFORMED),
        }
    }
}

/// The contents of `der`, which must be exactly one element with `tag`.
pub(crate) fn element(der: &[u8], tag: u8) -> Result<&[u8]> {
    let mut reader = Reader::new(der);
    let contents = reader.read(tag)?;
    reader.finish().map(|()| contents)
}

/// The contents of a BIT STRING element (its unused-bits octet first).
pub(crate) fn bits(contents: &[u8]) -> Result<&[u8]> {
    match contents.split_first() {
        Some((0, bytes)) => Ok(bytes),
        _ => Err(MALFORMED),
    }
}

fn unsigned(contents: &[u8]) -> Result<&[u8]> {
    match contents {
        [] => Err(MALFORMED),
        [first, ..] if first & 0x80 != 0 => Err(MALFORMED),
        [0, second, ..] if second & 0x80 == 0 => Err(MALFORMED),
        [0, magnitude @ ..] if !magnitude.is_empty() => Ok(magnitude),
        _ => Ok(contents),
    }
}

/// A definite length in its shortest form, and what follows it.
fn length(input: &[u8]) -> Result<(usize, &[u8])> {
    match input {
        [short, rest @ ..] if short & 0x80 == 0 => Ok((usize::from(*short), rest)),
        [0x81, len, rest @ ..] if *len >= 0x80 => Ok((usize::from(*len), rest)),
        [0x82, high, low, rest @ ..] if *high != 0 => Ok((usize::from(*high) << 8 | usize::from(*low), rest)),
        _ => Err(MALFORMED),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_unsigned(der: &[u8]) -> Result<&[u8]> {
        let mut reader = Reader::new(der);
        let value = reader.unsigned()?;
        reader.finish().map(|()| value)
    }

    #[test]
    fn lengths_must_be_definite_and_shortest() {
        assert_eq!(length(&[0x05, 1]), Ok((5, &[1u8][..])));
        assert_eq!(length(&[0x81, 0x80]), Ok((0x80, &[][..])));
        assert_eq!(length(&[0x82, 0x01, 0x00]), Ok((0x100, &[][..])));
        for bad in [&[0x80][..], &[0x81, 0x7f], &[0x82, 0x00, 0xff], &[0x83, 1, 0, 0], &[0x81], &[0x82, 1], &[]] {
            assert_eq!(length(bad), Err(MALFORMED), "{bad:02x?}");
        }
    }

    #[test]
    fn integers_are_unsigned_and_minimal() {
        assert_eq!(read_unsigned(&[INTEGER, 1, 0x7f]), Ok(&[0x7f][..]));
        assert_eq!(read_unsigned(&[INTEGER, 2, 0x00, 0x80]), Ok(&[0x80][..]));
        assert_eq!(read_unsigned(&[INTEGER, 1, 0x00]), Ok(&[0x00][..]));
        assert_eq!(read_unsigned(&[INTEGER, 1, 0x80]), Err(MALFORMED), "negative");
        assert_eq!(read_unsigned(&[INTEGER, 2, 0x00, 0x01]), Err(MALFORMED), "leading zero");
        assert_eq!(read_unsigned(&[INTEGER, 0]), Err(MALFORMED), "empty");
        assert_eq!(read_unsigned(&[INTEGER, 3, 1]), Err(MALFORMED), "truncated");
        assert_eq!(read_unsigned(&[INTEGER, 1, 1, 0]), Err(MALFORMED), "trailing data");
        assert_eq!(read_unsigned(&[OCTET_STRING, 1, 1]), Err(MALFORMED), "wrong tag");
    }

    #[test]
    fn bit_strings_have_no_unused_bits() {
        assert_eq!(Reader::new(&[BIT_STRING, 2, 0, 0xaa]).bit_string(), Ok(&[0xaa][..]));
        assert_eq!(Reader::new(&[BIT_STRING, 2, 1, 0xaa]).bit_string(), Err(MALFORMED));
        assert_eq!(Reader::new(&[BIT_STRING, 0]).bit_string(), Err(MALFORMED));
    }

    #[test]
    fn optional_elements_consume_nothing_when_absent() {
        let mut reader = Reader::new(&[NULL, 0]);
        assert_eq!(reader.optional(OID), Ok(None));
        assert_eq!(reader.optional(NULL), Ok(Some(&[][..])));
        assert!(reader.finish().is_ok());
    }

    #[test]
    fn whole_elements_refuse_trailing_bytes() {
        assert_eq!(element(&[OCTET_STRING, 1, 7], OCTET_STRING), Ok(&[7][..]));
        assert!(element(&[OCTET_STRING, 1, 7, 0], OCTET_STRING).is_err());
        assert!(Reader::sequence_of(&[SEQUENCE, 0]).is_ok());
        assert!(Reader::sequence_of(&[SEQUENCE, 0, 0]).is_err());
    }

    #[test]
    fn versions_must_be_listed() {
        assert_eq!(Reader::new(&[INTEGER, 1, 1]).version(&[0, 1]), Ok(1));
        assert_eq!(Reader::new(&[INTEGER, 1, 2]).version(&[0, 1]), Err(MALFORMED));
        assert_eq!(Reader::new(&[INTEGER, 2, 0, 1]).version(&[0, 1]), Err(MALFORMED));
    }
}
