//! The one canonical spelling of a request path, or a refusal: what the
//! gateway matches against its policy and forwards to the origin.
//!
//! The input is the path of a URL as the runtime serialized it (`/api/%61b`,
//! no query, no fragment). Two spellings an origin may read as one must not
//! match two different rules, and a path an origin may read as another must
//! not pass at all, so [`canonical`]:
//! - refuses what servers disagree on: an encoded `/` or `\` (`%2F`, `%5C`),
//!   a raw `\`, NUL raw or encoded, a `.` or `..` segment raw or encoded
//!   (`%2e`, `.%2E`, ...), a raw `;` (Tomcat, Jetty, Undertow and Spring cut
//!   `;...` parameters off each segment, so `/admin;x/users` would be
//!   matched as one path and served as `/admin/users`), an empty segment (`//`; one trailing `/` and the root are
//!   fine), a malformed escape, a raw control character, `?` or `#`, a path
//!   not starting with `/`, and one longer than [`MAX_PATH_LEN`];
//! - decodes escaped unreserved characters (`%61` is `a`; RFC 3986 section
//!   2.3) and writes every other escape in upper-case hex (`%c3` is `%C3`);
//! - escapes the raw characters the WHATWG URL standard escapes in a path
//!   (space, `"`, `<`, `>`, `^`, `` ` ``, `{`, `}`, DEL, non-ASCII), so
//!   forwarding the result through `fetch` sends it unchanged.
//!
//! The result is ASCII, is its own canonical form, and is borrowed from the
//! input when the input is already canonical: the common case allocates
//! nothing. Letter case stays significant.

use std::borrow::Cow;
use std::fmt::{self, Write};

/// The longest path accepted, before and after canonicalization: 8 KiB, the
/// usual request line limit.
pub const MAX_PATH_LEN: usize = 8192;

/// Why a path is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathRefusal {
    /// The path does not start with `/`.
    NotAbsolute,
    /// The path, or its canonical form, is longer than [`MAX_PATH_LEN`].
    TooLong,
    /// `%2F`: one segment to some servers, two to others.
    EncodedSlash,
    /// `%5C`: a separator to some servers once decoded.
    EncodedBackslash,
    /// A raw `\`: a separator to WHATWG parsers and to Windows servers.
    Backslash,
    /// NUL, raw or `%00`: truncates paths in C-string code.
    Nul,
    /// A raw control character, `?` or `#`: never in a serialized path, and
    /// parsers strip or split on them.
    BadCharacter,
    /// A `.` or `..` segment, raw or encoded.
    DotSegment,
    /// A raw `;`: the start of path parameters, which Java servers cut off.
    Semicolon,
    /// An empty segment (`//`) anywhere but at the end.
    EmptySegment,
    /// A `%` not followed by two hex digits.
    BadPercentEncoding,
}

impl PathRefusal {
    /// The stable code, for logs and error bodies.
    pub fn code(self) -> &'static str {
        match self {
            PathRefusal::NotAbsolute => "not_absolute",
            PathRefusal::TooLong => "too_long",
            PathRefusal::EncodedSlash => "encoded_slash",
            PathRefusal::EncodedBackslash => "encoded_backslash",
            PathRefusal::Backslash => "backslash",
            PathRefusal::Nul => "nul",
            PathRefusal::BadCharacter => "bad_character",
            PathRefusal::DotSegment => "dot_segment",
            PathRefusal::Semicolon => "semicolon",
            PathRefusal::EmptySegment => "empty_segment",
            PathRefusal::BadPercentEncoding => "bad_percent_encoding",
        }
    }

    /// What was wrong, in words.
    pub fn message(self) -> &'static str {
        match self {
            PathRefusal::NotAbsolute => "the path does not start with /",
            PathRefusal::TooLong => "the path is too long",
            PathRefusal::EncodedSlash => "the path contains an encoded slash",
            PathRefusal::EncodedBackslash => "the path contains an encoded backslash",
            PathRefusal::Backslash => "the path contains a backslash",
            PathRefusal::Nul => "the path contains a NUL",
            PathRefusal::BadCharacter => "the path contains a control character, ? or #",
            PathRefusal::DotSegment => "the path contains a . or .. segment",
            PathRefusal::Semicolon => "the path contains a ; (path parameters)",
            PathRefusal::EmptySegment => "the path contains an empty segment",
            PathRefusal::BadPercentEncoding => "the path contains a malformed percent escape",
        }
    }
}

impl fmt::Display for PathRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for PathRefusal {}

/// The canonical form of `path`, borrowed when `path` already is canonical.
pub fn canonical(path: &str) -> Result<Cow<'_, str>, PathRefusal> {
    if path.len() > MAX_PATH_LEN {
        return Err(PathRefusal::TooLong);
    }
    let rest = path.strip_prefix('/').ok_or(PathRefusal::NotAbsolute)?;
    let (changed, len) = check(rest)?;
    if len > MAX_PATH_LEN {
        return Err(PathRefusal::TooLong);
    }
    if !changed {
        return Ok(Cow::Borrowed(path));
    }
    let mut out = String::with_capacity(len);
    out.push('/');
    for unit in Units::new(rest) {
        push(&mut out, spell(unit?)?);
    }
    Ok(Cow::Owned(out))
}

/// Validates the path after its leading `/`: whether its canonical form
/// differs, and that form's length.
fn check(rest: &str) -> Result<(bool, usize), PathRefusal> {
    let (mut changed, mut len) = (false, 1);
    let mut segment = Segment::default();
    for unit in Units::new(rest) {
        let unit = unit?;
        let spelling = spell(unit)?;
        changed |= !spelled_as_written(unit, spelling);
        len += spelling.len();
        match spelling {
            Spelling::Separator => std::mem::take(&mut segment).check(false)?,
            _ => segment.add(spelling),
        }
    }
    segment.check(true)?;
    Ok((changed, len))
}

/// One character of the path as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Raw(u8),
    /// `%XX`, with whether both hex digits were upper case (or digits).
    Escaped { byte: u8, upper: bool },
}

/// The canonical spelling of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spelling {
    Separator,
    Char(u8),
    Escape(u8),
}

impl Spelling {
    fn len(self) -> usize {
        match self {
            Spelling::Separator | Spelling::Char(_) => 1,
            Spelling::Escape(_) => 3,
        }
    }
}

/// The units of a path, refusing a malformed escape.
struct Units<'a> {
    bytes: std::slice::Iter<'a, u8>,
}

impl<'a> Units<'a> {
    fn new(text: &'a str) -> Self {
        Units { bytes: text.as_bytes().iter() }
    }

    fn hex_digit(&mut self) -> Result<(u8, bool), PathRefusal> {
        let digit = *self.bytes.next().ok_or(PathRefusal::BadPercentEncoding)?;
        let value = match digit {
            b'0'..=b'9' => digit - b'0',
            b'A'..=b'F' => digit - b'A' + 10,
            b'a'..=b'f' => digit - b'a' + 10,
            _ => return Err(PathRefusal::BadPercentEncoding),
        };
        Ok((value, !digit.is_ascii_lowercase()))
    }
}

impl Iterator for Units<'_> {
    type Item = Result<Unit, PathRefusal>;

    fn next(&mut self) -> Option<Self::Item> {
        let byte = *self.bytes.next()?;
        if byte != b'%' {
            return Some(Ok(Unit::Raw(byte)));
        }
        let escaped = self.hex_digit().and_then(|(high, high_upper)| {
            let (low, low_upper) = self.hex_digit()?;
            Ok(Unit::Escaped { byte: (high << 4) | low, upper: high_upper && low_upper })
        });
        Some(escaped)
    }
}

fn spell(unit: Unit) -> Result<Spelling, PathRefusal> {
    match unit {
        Unit::Raw(b'/') => Ok(Spelling::Separator),
        Unit::Raw(0) | Unit::Escaped { byte: 0, .. } => Err(PathRefusal::Nul),
        Unit::Raw(b'\\') => Err(PathRefusal::Backslash),
        Unit::Raw(byte) if byte.is_ascii_control() && byte != 0x7f => Err(PathRefusal::BadCharacter),
        Unit::Raw(b'?' | b'#') => Err(PathRefusal::BadCharacter),
        Unit::Raw(b';') => Err(PathRefusal::Semicolon),
        Unit::Raw(byte) if escaped_by_parsers(byte) => Ok(Spelling::Escape(byte)),
        Unit::Raw(byte) => Ok(Spelling::Char(byte)),
        Unit::Escaped { byte: b'/', .. } => Err(PathRefusal::EncodedSlash),
        Unit::Escaped { byte: b'\\', .. } => Err(PathRefusal::EncodedBackslash),
        Unit::Escaped { byte, .. } if is_unreserved(byte) => Ok(Spelling::Char(byte)),
        Unit::Escaped { byte, .. } => Ok(Spelling::Escape(byte)),
    }
}

fn spelled_as_written(unit: Unit, spelling: Spelling) -> bool {
    matches!((unit, spelling), (Unit::Raw(_), Spelling::Char(_) | Spelling::Separator) | (Unit::Escaped { upper: true, .. }, Spelling::Escape(_)))
}

/// `ALPHA / DIGIT / "-" / "." / "_" / "~"` (RFC 3986 section 2.3).
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// The WHATWG path percent-encode set, less what is refused before. `^`
/// joined it in 2025 and some parsers still leave it raw: escaped, it reads
/// the same to both.
fn escaped_by_parsers(byte: u8) -> bool {
    !byte.is_ascii() || matches!(byte, b' ' | b'"' | b'<' | b'>' | b'^' | b'`' | b'{' | b'}' | 0x7f)
}

fn push(out: &mut String, spelling: Spelling) {
    match spelling {
        Spelling::Separator => out.push('/'),
        Spelling::Char(byte) => out.push(char::from(byte)),
        Spelling::Escape(byte) => {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// What decides whether a segment is empty or a dot segment.
#[derive(Debug, Default)]
struct Segment {
    units: usize,
    dots: usize,
    /// A character other than a dot.
    other: bool,
}

impl Segment {
    fn add(&mut self, spelling: Spelling) {
        self.units += 1;
        match spelling {
            Spelling::Char(b'.') => self.dots += 1,
            _ => self.other = true,
        }
    }

    fn check(self, last: bool) -> Result<(), PathRefusal> {
        if self.units == 0 && !last {
            return Err(PathRefusal::EmptySegment);
        }
        if !self.other && matches!(self.dots, 1 | 2) {
            return Err(PathRefusal::DotSegment);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_canonical_paths_borrowed() {
        for path in ["/", "/api/x", "/api/x/", "/a.b/..c/...", "/%C3%A9/%3F%25", "/A/b/~_-.", "/a%3Bb=c/d", "/'|[]!$&()*+,=:@"] {
            assert!(matches!(canonical(path), Ok(Cow::Borrowed(p)) if p == path), "{path:?}");
        }
    }

    #[test]
    fn rewrites_to_one_spelling() {
        let cases = [
            ("/%61pi/x", "/api/x"),
            ("/%41%5a%30%2D%2e%5F%7e", "/AZ0-._~"),
            ("/%c3%a9", "/%C3%A9"),
            ("/%3f%3A%25", "/%3F%3A%25"),
            ("/a b", "/a%20b"),
            ("/\u{e9}", "/%C3%A9"),
            ("/{x}\"<>^`\u{7f}", "/%7Bx%7D%22%3C%3E%5E%60%7F"),
            ("/%2e%2e%2e", "/..."),
            ("/.%2e.x", "/...x"),
            ("/Api", "/Api"),
        ];
        for (path, want) in cases {
            assert_eq!(canonical(path).as_deref(), Ok(want), "{path:?}");
        }
    }

    #[test]
    fn refuses_ambiguous_paths() {
        use PathRefusal::*;
        let cases = [
            ("", NotAbsolute),
            ("api/x", NotAbsolute),
            ("%2Fapi", NotAbsolute),
            ("/a%2Fb", EncodedSlash),
            ("/a%2fb", EncodedSlash),
            ("/a%5Cb", EncodedBackslash),
            ("/a%5cb", EncodedBackslash),
            ("/a\\b", Backslash),
            ("/a%00", Nul),
            ("/a\0", Nul),
            ("/a\tb", BadCharacter),
            ("/a\nb", BadCharacter),
            ("/a?b", BadCharacter),
            ("/a#b", BadCharacter),
            ("/.", DotSegment),
            ("/..", DotSegment),
            ("/a/./b", DotSegment),
            ("/a/../b", DotSegment),
            ("/a/..", DotSegment),
            ("/a/../", DotSegment),
            ("/%2e", DotSegment),
            ("/%2E%2e/x", DotSegment),
            ("/.%2e/x", DotSegment),
            ("/%2e./x", DotSegment),
            ("/..;/admin", Semicolon),
            ("/.;x/admin", Semicolon),
            ("/%2e%2e;x/admin", Semicolon),
            ("/admin;x/users", Semicolon),
            ("/;/admin/users", Semicolon),
            ("/admin;jsessionid=1/users", Semicolon),
            ("//", EmptySegment),
            ("//a", EmptySegment),
            ("/a//b", EmptySegment),
            ("/a//", EmptySegment),
            ("/a%", BadPercentEncoding),
            ("/a%4", BadPercentEncoding),
            ("/a%zz", BadPercentEncoding),
            ("/a%g1", BadPercentEncoding),
            ("/a%\u{e9}", BadPercentEncoding),
        ];
        for (path, refusal) in cases {
            assert_eq!(canonical(path), Err(refusal), "{path:?}");
        }
    }

    #[test]
    fn bounds_the_length_before_and_after() {
        let longest = format!("/{}", "a".repeat(MAX_PATH_LEN - 1));
        assert!(matches!(canonical(&longest), Ok(Cow::Borrowed(_))));
        assert_eq!(canonical(&format!("{longest}a")), Err(PathRefusal::TooLong));
        // Escaping grows a path past the bound it was within.
        let grows = format!("/{}", " ".repeat(MAX_PATH_LEN / 3 + 1));
        assert!(grows.len() < MAX_PATH_LEN);
        assert!(matches!(canonical(&grows), Err(PathRefusal::TooLong)));
    }

    #[test]
    fn codes_are_stable_and_distinct() {
        use PathRefusal::*;
        let all = [NotAbsolute, TooLong, EncodedSlash, EncodedBackslash, Backslash, Nul, BadCharacter, DotSegment, EmptySegment, BadPercentEncoding];
        let codes: std::collections::HashSet<_> = all.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), all.len());
        assert_eq!(DotSegment.code(), "dot_segment");
        assert_eq!(DotSegment.to_string(), DotSegment.message());
    }

    /// Pieces that make paths interesting: separators, dots, escapes of every
    /// kind and case, and characters that are escaped or refused.
    const PIECES: [&str; 28] = [
        "/", "/", "/x", "a", "Z", "-", ".", "..", "%2e", "%2E", "%61", "%7e", "%41", "%c3%a9", "%3F", "%25", "%2f", "%5C", "%00", "%", "%g", ";", " ", "\u{e9}", "^", "~", "?", "\\",
    ];

    /// xorshift64: deterministic, so a failure reproduces.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn canonical_is_idempotent() {
        let mut state = 0x9e37_79b9_7f4a_7c15;
        let (mut accepted, mut changed) = (0, 0);
        for _ in 0..50_000 {
            let len = next(&mut state) % 12;
            let path: String = (0..len).map(|_| PIECES[(next(&mut state) % PIECES.len() as u64) as usize]).collect();
            let Ok(once) = canonical(&path) else { continue };
            accepted += 1;
            if let Cow::Owned(owned) = &once {
                assert_ne!(owned, &path, "allocated for an unchanged path");
                changed += 1;
            }
            assert!(once.is_ascii(), "{path:?} -> {once:?}");
            assert!(matches!(canonical(&once), Ok(Cow::Borrowed(twice)) if twice == once), "{path:?} -> {once:?}");
        }
        // The generator must reach both outcomes, or the test proves nothing.
        assert!(accepted > 1_000 && changed > 100, "accepted {accepted}, changed {changed}");
    }
}
