//! Headers a gateway rule adds to the requests it forwards, made from stored
//! third-party secrets: `{"header": "Authorization", "value": "Bearer
//! ${secret:llm}"}` sends the secret named `llm` to the origin, which then
//! never needs to hold it (Kure's LLM keys, an upstream's API key).
//!
//! Checked when the policy is read: the header must be one the gateway lets
//! a rule set (not one that frames the request or carries the identity it
//! vouches for), the template may hold only `${secret:<name>}` placeholders,
//! and the rendered value must be a valid header value, so a secret is
//! checked with [`is_header_value`] when it is stored.

use serde::de::{self, Deserializer};
use serde::Deserialize;

/// The most headers one rule may inject.
const MAX_INJECTIONS: usize = 8;

/// One header to add, from a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injection {
    /// Lower case.
    pub header: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Secret(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InjectionText {
    header: String,
    value: String,
}

impl Injection {
    pub fn parse(header: &str, template: &str) -> Result<Injection, String> {
        let header = header.to_ascii_lowercase();
        if !is_header_name(&header) || is_reserved(&header) {
            return Err(format!("cannot inject the header \"{header}\": it frames the request or carries the identity the gateway vouches for"));
        }
        Ok(Injection { header, parts: parse_template(template)? })
    }

    /// The secrets the value needs, in order.
    pub fn secret_names(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            Part::Secret(name) => Some(name.as_str()),
            Part::Text(_) => None,
        })
    }

    /// The header value with each secret from `secret`; `Err(name)` names a
    /// secret it lacks or whose value may not stand in a header.
    pub fn render<'s>(&self, secret: impl Fn(&str) -> Option<&'s str>) -> Result<String, &str> {
        let mut value = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => value.push_str(text),
                Part::Secret(name) => value.push_str(secret(name).filter(|v| is_header_value(v)).ok_or(name.as_str())?),
            }
        }
        Ok(value)
    }
}

/// A rule's `inject`: one `{"header", "value"}` or an array of them.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Injection>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(InjectionText),
        Many(Vec<InjectionText>),
    }
    let texts = match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(text) => vec![text],
        OneOrMany::Many(texts) => texts,
    };
    if texts.len() > MAX_INJECTIONS {
        return Err(de::Error::custom(format!("\"inject\" may name at most {MAX_INJECTIONS} headers")));
    }
    let injections = texts.iter().map(|text| Injection::parse(&text.header, &text.value)).collect::<Result<Vec<_>, _>>().map_err(de::Error::custom)?;
    for (i, injection) in injections.iter().enumerate() {
        if injections[..i].iter().any(|earlier| earlier.header == injection.header) {
            return Err(de::Error::custom(format!("\"inject\" names the header \"{}\" twice", injection.header)));
        }
    }
    Ok(injections)
}

/// Names of secrets: 1 to 64 of `A-Z a-z 0-9 - _ .`.
pub fn is_secret_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// A value that may stand in an HTTP header: visible ASCII, space and tab,
/// not starting or ending with white space, at most 8 KiB.
pub fn is_header_value(value: &str) -> bool {
    let edge = |b: Option<&u8>| b.is_some_and(|b| *b == b' ' || *b == b'\t');
    value.len() <= 8192 && !edge(value.as_bytes().first()) && !edge(value.as_bytes().last()) && value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}

/// An RFC 9110 token.
fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Headers that frame the request or that the gateway itself sets, in any
/// spelling (CGI-style origins read `_` as `-`).
fn is_reserved(name: &str) -> bool {
    let name = name.replace('_', "-");
    let name = name.as_str();
    const FRAMING: [&str; 9] = ["host", "content-length", "transfer-encoding", "connection", "keep-alive", "te", "trailer", "upgrade", "expect"];
    FRAMING.contains(&name) || name.starts_with("x-auth-") || name.starts_with("proxy-") || name.starts_with("cf-")
}

fn parse_template(template: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        push_text(&mut parts, &rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}').ok_or("has a \"${\" without its \"}\"")?;
        let name = after[..end].strip_prefix("secret:").ok_or_else(|| format!("has the placeholder \"${{{}}}\": only ${{secret:<name>}} is known", &after[..end]))?;
        if !is_secret_name(name) {
            return Err(format!("names the secret \"{name}\": names are 1 to 64 of A-Z a-z 0-9 - _ ."));
        }
        parts.push(Part::Secret(name.to_owned()));
        rest = &after[end + 1..];
    }
    push_text(&mut parts, rest);
    let texts_valid = parts.iter().all(|part| match part {
        Part::Text(text) => text.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)),
        Part::Secret(_) => true,
    });
    match (texts_valid, parts.iter().any(|part| matches!(part, Part::Secret(_)))) {
        (false, _) => Err("has characters a header value cannot hold".into()),
        (true, false) => Err("names no ${secret:<name>}: a fixed header belongs in the origin's configuration".into()),
        (true, true) => Ok(parts),
    }
}

fn push_text(parts: &mut Vec<Part>, text: &str) {
    if !text.is_empty() {
        parts.push(Part::Text(text.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(name: &str) -> Option<&'static str> {
        match name {
            "llm" => Some("sk-123"),
            "bad" => Some("a\r\nx-auth-method: admin"),
            _ => None,
        }
    }

    #[test]
    fn renders_a_template() {
        let injection = Injection::parse("Authorization", "Bearer ${secret:llm}").unwrap();
        assert_eq!(injection.header, "authorization");
        assert_eq!(injection.secret_names().collect::<Vec<_>>(), ["llm"]);
        assert_eq!(injection.render(secrets), Ok("Bearer sk-123".to_owned()));
        let two = Injection::parse("X-Upstream", "${secret:llm}:${secret:llm}").unwrap();
        assert_eq!(two.render(secrets), Ok("sk-123:sk-123".to_owned()));
    }

    #[test]
    fn names_a_secret_it_lacks_or_cannot_send() {
        assert_eq!(Injection::parse("x-key", "${secret:gone}").unwrap().render(secrets), Err("gone"));
        assert_eq!(Injection::parse("x-key", "${secret:bad}").unwrap().render(secrets), Err("bad"), "no header splitting");
    }

    #[test]
    fn refuses_bad_templates_and_headers() {
        for (header, value) in [
            ("x-key", "Bearer ${secret:llm"),
            ("x-key", "${env:HOME}"),
            ("x-key", "${secret:}"),
            ("x-key", "${secret:a b}"),
            ("x-key", "fixed"),
            ("x-key", "a\n${secret:llm}"),
            ("Host", "${secret:llm}"),
            ("Content-Length", "${secret:llm}"),
            ("X-Auth-Method", "${secret:llm}"),
            ("x_auth_subject", "${secret:llm}"),
            ("Content_Length", "${secret:llm}"),
            ("CF-Connecting-IP", "${secret:llm}"),
            ("bad header", "${secret:llm}"),
            ("", "${secret:llm}"),
        ] {
            assert!(Injection::parse(header, value).is_err(), "{header}: {value}");
        }
    }

    #[test]
    fn checks_secret_names_and_values() {
        assert!(is_secret_name("llm.openai-key_2"));
        assert!(!is_secret_name("") && !is_secret_name(&"a".repeat(65)) && !is_secret_name("a/b"));
        assert!(is_header_value("sk-abc 123") && is_header_value(""));
        assert!(!is_header_value(" lead") && !is_header_value("trail\t") && !is_header_value("é") && !is_header_value("a\0"));
    }
}
