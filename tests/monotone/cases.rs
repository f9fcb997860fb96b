//! Random option sets and tokens for one property: adding a check to a
//! `Validation` never accepts a token that the same options without it
//! refused, and an empty allow-list accepts nothing. Shared by the
//! deterministic test (tests/monotone/main.rs) and the fuzz target
//! (fuzz/fuzz_targets/validation_options.rs); everything comes from a byte
//! source, so a case is reproducible from its bytes.

use edgeauth::jwt::{self, Mint, Validation, DEFAULT_CAPACITY};
use edgeauth::{Algorithm, Key};
use serde_json::{json, Map, Value};

pub const NOW: f64 = 1_700_000_000.0;

/// Strings the claims, the `typ` and the expectations are drawn from: near
/// misses of each other (case, space, an `application/` prefix, empty).
const WORDS: [&str; 12] =
    ["a", "b", "A", "", "a ", "jwt", "JWT", "application/jwt", "at+jwt", "text/plain", "application/text/plain", "application/a"];

/// The checks a case can take away, one at a time.
const CHECKS: [&str; 8] = ["issuers", "audiences", "subject", "typ", "max_token_age", "required_claims", "require_exp", "max_token_size"];

/// Bytes read one at a time; zeros once they run out.
pub struct Bytes<'a>(std::slice::Iter<'a, u8>);

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Bytes<'a> {
        Bytes(data.iter())
    }

    fn below(&mut self, n: usize) -> usize {
        usize::from(self.0.next().copied().unwrap_or(0)) % n
    }

    fn flip(&mut self) -> bool {
        self.below(2) == 1
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }

    /// Half the time "a", so that claims and expectations often agree and
    /// the checks are passed as well as failed.
    fn word(&mut self) -> String {
        match self.flip() {
            true => WORDS[0].to_owned(),
            false => self.pick(&WORDS).to_owned(),
        }
    }

    fn words(&mut self) -> Vec<String> {
        (0..self.below(3)).map(|_| self.word()).collect()
    }
}

/// One case: a token, and the options with a check and without it.
pub struct Case {
    pub token: String,
    pub with: Validation,
    pub without: Validation,
    pub check: &'static str,
}

impl Case {
    pub fn read(bytes: &mut Bytes<'_>) -> Case {
        let token = token(bytes);
        let with = options(bytes);
        let check = bytes.pick(&CHECKS);
        let without = without(&with, check, bytes);
        Case { token, with, without, check }
    }

    /// Asserts the property (by `jwt::verify` and by a `Verifier`, which
    /// re-checks remembered tokens); returns whether the token passed with
    /// the check and without it.
    pub fn assert_holds(&self) -> (bool, bool) {
        let (with, without) = (accepts(&self.token, &self.with), accepts(&self.token, &self.without));
        assert!(!with || without, "adding {} accepted a refused token: {self:?}", self.check);
        let empty = |list: &Option<Vec<String>>| list.as_ref().is_some_and(Vec::is_empty);
        assert!(!with || !(empty(&self.with.issuers) || empty(&self.with.audiences)), "an empty allow-list accepted: {self:?}");
        (with, without)
    }
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let claims = jwt::decode(&self.token).map(|jwt| (jwt.header.typ().map(str::to_owned), jwt.claims));
        f.debug_struct("Case").field("token", &claims).field("with", &self.with).field("without", &self.without).finish()
    }
}

fn key() -> Key {
    Key::from_secret(&[3; 32], Algorithm::HS256, None).unwrap_or_else(|e| panic!("a fixed HS256 key: {e}"))
}

fn accepts(token: &str, validation: &Validation) -> bool {
    let once = jwt::verify(token, &key(), validation).is_ok();
    let verifier = jwt::Verifier::new(key(), validation.clone(), DEFAULT_CAPACITY);
    let remembered = verifier.verify(token).is_ok() && verifier.verify(token).is_ok();
    assert_eq!(once, remembered, "a Verifier decided otherwise than verify");
    once
}

fn token(bytes: &mut Bytes<'_>) -> String {
    let mut claims = Map::new();
    for name in ["iss", "sub"] {
        if let Some(value) = string_claim(bytes) {
            claims.insert(name.into(), value);
        }
    }
    match bytes.below(4) {
        0 => None,
        1 => claims.insert("aud".into(), Value::String(bytes.word())),
        2 => claims.insert("aud".into(), json!(bytes.words())),
        _ => claims.insert("aud".into(), json!(1)),
    };
    for (name, at) in [("exp", [NOW - 10.0, NOW, NOW + 10.0]), ("nbf", [NOW + 5.0, NOW, NOW - 5.0]), ("iat", [NOW - 100.0, NOW + 5.0, NOW])] {
        if bytes.below(4) != 0 {
            claims.insert(name.into(), json!(bytes.pick(&at)));
        }
    }
    if bytes.flip() {
        claims.insert("scope".into(), json!("read"));
    }
    let typ = bytes.flip().then(|| bytes.word());
    let padding = "p".repeat(bytes.below(4) * 60);
    claims.insert("pad".into(), json!(padding));
    let mint = Mint { typ, issued_at: false, ..Mint::default() };
    mint.sign(&claims, &key()).unwrap_or_else(|e| panic!("minting a case: {e}"))
}

fn string_claim(bytes: &mut Bytes<'_>) -> Option<Value> {
    match bytes.below(4) {
        0 | 1 => Some(Value::String(bytes.word())),
        2 => None,
        _ => Some(json!(7)),
    }
}

fn options(bytes: &mut Bytes<'_>) -> Validation {
    let maybe = |bytes: &mut Bytes<'_>| bytes.below(3) == 0;
    Validation {
        issuers: maybe(bytes).then(|| bytes.words()),
        audiences: maybe(bytes).then(|| bytes.words()),
        subject: maybe(bytes).then(|| bytes.word()),
        typ: maybe(bytes).then(|| bytes.word()),
        clock_tolerance: bytes.pick(&[0, 5, 20]),
        max_token_age: maybe(bytes).then(|| bytes.pick(&[0, 50, 200])),
        required_claims: ["scope", "iss", "jti"].into_iter().filter(|_| bytes.below(4) == 0).map(str::to_owned).collect(),
        require_exp: bytes.flip(),
        current_time: Some(NOW),
        max_token_size: bytes.pick(&[jws_default(), 400, 200]),
        ..Validation::new(&[Algorithm::HS256])
    }
}

fn jws_default() -> usize {
    Validation::new(&[]).max_token_size
}

/// `with`, less one check: what a caller who left that option out would have.
fn without(with: &Validation, check: &str, bytes: &mut Bytes<'_>) -> Validation {
    let mut without = with.clone();
    match check {
        "issuers" => without.issuers = None,
        "audiences" => without.audiences = None,
        "subject" => without.subject = None,
        "typ" => without.typ = None,
        "max_token_age" => without.max_token_age = None,
        "required_claims" if !without.required_claims.is_empty() => drop(without.required_claims.remove(bytes.below(with.required_claims.len()))),
        "require_exp" => without.require_exp = false,
        "max_token_size" => without.max_token_size = jws_default(),
        _ => {}
    }
    without
}
