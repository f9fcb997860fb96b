//! What an admin asks of a new API key, checked: its tier, scopes, the
//! audiences it may be exchanged for, its expiry and description, from the
//! admin API's JSON body. Every rule about what a key may be lives here, so
//! the Worker only reads the body and writes the answer.

use super::{ApiKeyRecord, GeneratedApiKey};
use serde_json::{Map, Value};

/// The longest description kept.
const MAX_DESCRIPTION: usize = 256;

/// A new key's grants, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRequest {
    pub tier: u32,
    pub scopes: Vec<String>,
    /// A subset of the allowed audiences, never empty.
    pub audiences: Vec<String>,
    pub expires_at: Option<u64>,
    pub description: Option<String>,
}

impl KeyRequest {
    /// Reads `body`: `tier`, `scopes`, `audiences` (default: every one of
    /// `allowed`), `expires_at` (seconds since the epoch, or RFC 3339; after
    /// `now`) and `key_description`. The error says what is wrong, for a 400.
    pub fn from_json(body: &Map<String, Value>, allowed: &[String], now: u64) -> Result<KeyRequest, String> {
        let tier = match body.get("tier") {
            None => 0,
            Some(tier) => tier.as_u64().and_then(|t| u32::try_from(t).ok()).ok_or("\"tier\" must be a whole number")?,
        };
        let scopes = strings(body.get("scopes"), "scopes")?.unwrap_or_default();
        if !scopes.iter().all(|scope| is_scope_token(scope)) {
            return Err("\"scopes\" must be non-empty strings of visible ASCII without spaces".into());
        }
        let audiences = match strings(body.get("audiences"), "audiences")? {
            None => allowed.to_vec(),
            Some(asked) if asked.is_empty() => return Err("\"audiences\" must name at least one audience".into()),
            Some(asked) => match asked.iter().find(|audience| !allowed.contains(audience)) {
                Some(unknown) => return Err(format!("\"audiences\" names \"{unknown}\", which ALLOWED_AUDIENCES does not")),
                None => asked,
            },
        };
        let expires_at = match body.get("expires_at") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => Some(n.as_u64().ok_or("\"expires_at\" must be whole seconds since the epoch")?),
            Some(Value::String(text)) => Some(rfc3339_seconds(text).ok_or("\"expires_at\" must be an RFC 3339 time, such as 2027-01-31T00:00:00Z")?),
            Some(_) => return Err("\"expires_at\" must be seconds since the epoch or an RFC 3339 time".into()),
        };
        if expires_at.is_some_and(|at| at <= now) {
            return Err("\"expires_at\" is in the past".into());
        }
        let description = match body.get("key_description") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) if text.len() <= MAX_DESCRIPTION => Some(text.clone()),
            Some(_) => return Err(format!("\"key_description\" must be a string of at most {MAX_DESCRIPTION} bytes")),
        };
        Ok(KeyRequest { tier, scopes, audiences, expires_at, description })
    }

    /// The record of `key`, made for `integration_id` at `now` with these grants.
    pub fn record(self, key: &GeneratedApiKey, integration_id: &str, now: u64) -> ApiKeyRecord {
        let mut record = ApiKeyRecord::new(key, integration_id, now);
        record.tier = self.tier;
        record.scopes = self.scopes;
        record.audiences = Some(self.audiences);
        record.expires_at = self.expires_at;
        record.description = self.description;
        record
    }
}

fn strings(value: Option<&Value>, name: &str) -> Result<Option<Vec<String>>, String> {
    match value {
        None => Ok(None),
        Some(Value::Array(items)) => items.iter().map(|item| item.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>().map(Some).ok_or_else(|| format!("\"{name}\" must be an array of strings")),
        Some(_) => Err(format!("\"{name}\" must be an array of strings")),
    }
}

/// A scope as RFC 6749 section 3.3 has it: visible ASCII but `"` and `\`,
/// so that scopes join into a space-separated `scope` claim and split back.
fn is_scope_token(scope: &str) -> bool {
    !scope.is_empty() && scope.bytes().all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
}

/// Seconds since the epoch of an RFC 3339 date-time (`2027-01-31T08:00:00Z`,
/// fractions and offsets allowed), from 1970 to 9999; `None` otherwise.
fn rfc3339_seconds(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || !text.is_ascii() || bytes[4] != b'-' || bytes[7] != b'-' || !matches!(bytes[10], b'T' | b't' | b' ') || bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range).filter(|s| s.bytes().all(|b| b.is_ascii_digit())).and_then(|s| s.parse::<i64>().ok());
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let days_in_month = [31, if is_leap(year) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let month_days = *days_in_month.get(usize::try_from(month - 1).ok()?)?;
    if year < 1970 || day < 1 || day > month_days || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            let (hours, minutes) = (number_in(rest, 1..3)?, number_in(rest, 4..6)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            sign * (hours * 3600 + minutes * 60)
        }
    };
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset;
    u64::try_from(seconds).ok()
}

fn number_in(text: &str, range: std::ops::Range<usize>) -> Option<i64> {
    text.get(range).filter(|s| s.bytes().all(|b| b.is_ascii_digit())).and_then(|s| s.parse().ok())
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: u64 = 1_700_000_000;

    fn allowed() -> Vec<String> {
        vec!["integration".into(), "autojoin".into()]
    }

    fn read(body: Value) -> Result<KeyRequest, String> {
        KeyRequest::from_json(body.as_object().unwrap(), &allowed(), NOW)
    }

    #[test]
    fn defaults_to_every_allowed_audience_and_no_expiry() {
        let request = read(json!({})).unwrap();
        assert_eq!((request.tier, request.audiences, request.expires_at), (0, allowed(), None));
    }

    #[test]
    fn reads_every_grant() {
        let request = read(json!({"tier": 2, "scopes": ["read"], "audiences": ["autojoin"], "expires_at": "2030-01-01T00:00:00Z", "key_description": "ci"})).unwrap();
        assert_eq!(request, KeyRequest { tier: 2, scopes: vec!["read".into()], audiences: vec!["autojoin".into()], expires_at: Some(1_893_456_000), description: Some("ci".into()) });
        assert_eq!(read(json!({"expires_at": 1_900_000_000})).unwrap().expires_at, Some(1_900_000_000));
    }

    #[test]
    fn refuses_what_no_key_may_be() {
        for bad in [
            json!({"tier": -1}), json!({"tier": "2"}), json!({"scopes": ["a b"]}), json!({"scopes": "read"}),
            json!({"audiences": []}), json!({"audiences": ["other"]}), json!({"audiences": [1]}),
            json!({"expires_at": 1}), json!({"expires_at": "2020-01-01T00:00:00Z"}), json!({"expires_at": "tomorrow"}),
            json!({"expires_at": 1.5}), json!({"expires_at": true}), json!({"key_description": "x".repeat(257)}),
        ] {
            assert!(read(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_rfc3339() {
        assert_eq!(rfc3339_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339_seconds("2023-11-14T22:13:20Z"), Some(1_700_000_000));
        assert_eq!(rfc3339_seconds("2023-11-14T22:13:20.999Z"), Some(1_700_000_000));
        assert_eq!(rfc3339_seconds("2023-11-15T00:13:20+02:00"), Some(1_700_000_000));
        assert_eq!(rfc3339_seconds("2023-11-14T20:13:20-02:00"), Some(1_700_000_000));
        assert_eq!(rfc3339_seconds("2024-02-29t12:00:00z"), Some(1_709_208_000));
        for bad in ["2023-02-29T00:00:00Z", "2023-13-01T00:00:00Z", "2023-00-10T00:00:00Z", "2023-11-14T24:00:00Z", "2023-11-14T22:13:20",
            "2023-11-14T22:13:20+0200", "2023-11-14T22:13:20.Z", "1969-12-31T23:59:59Z", "+023-11-14T22:13:20Z", "2023-11-14T22:13:2éZ", ""] {
            assert_eq!(rfc3339_seconds(bad), None, "{bad}");
        }
    }
}
