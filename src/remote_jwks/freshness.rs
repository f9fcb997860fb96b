//! How long a fetched document may be used, read from its response headers
//! as RFC 9111 and RFC 5861 say: `Cache-Control` (`s-maxage` before
//! `max-age`, `no-cache`, `no-store`, `stale-if-error`) less `Age`, else
//! `Expires` less `Date`. The caller clamps the result to its own bounds.

/// The response headers that decide freshness and revalidation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Headers<'a> {
    pub cache_control: Option<&'a str>,
    pub age: Option<&'a str>,
    pub expires: Option<&'a str>,
    pub date: Option<&'a str>,
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
}

/// What the headers allow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Freshness {
    /// Seconds fresh from now, before clamping; `None` when the headers say nothing.
    pub lifetime: Option<f64>,
    /// The provider's own limit on serving a stale copy after a failed refresh.
    pub stale_if_error: Option<f64>,
    /// `no-store`: the copy must not be shared with other isolates.
    pub store: bool,
}

/// RFC 9111 section 1.2.2: delta-seconds saturate at 2^31.
const MAX_DELTA: u64 = 1 << 31;

/// Reads `headers` for a response received at `now` (seconds since the epoch).
pub fn read(headers: &Headers<'_>, now: f64) -> Freshness {
    let directives = headers.cache_control.map(directives).unwrap_or_default();
    let find = |name: &str| directives.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v).collect::<Vec<_>>();
    let has = |name: &str| !find(name).is_empty();
    let store = !has("no-store");
    let stale_if_error = seconds_of(&find("stale-if-error"));
    let age = headers.age.and_then(delta_seconds).unwrap_or(0) as f64;
    let lifetime = if !store || has("no-cache") {
        Some(0.0)
    } else if has("s-maxage") {
        Some(seconds_of(&find("s-maxage")).unwrap_or(0.0) - age)
    } else if has("max-age") {
        Some(seconds_of(&find("max-age")).unwrap_or(0.0) - age)
    } else {
        headers.expires.map(|expires| expires_in(expires, headers.date, now))
    };
    Freshness { lifetime: lifetime.map(|l| l.max(0.0)), stale_if_error, store }
}

/// The one value of a directive given once, or given alike each time; a
/// malformed or conflicting value is `None`, which makes the copy stale
/// (RFC 9111 section 4.2.1).
fn seconds_of(values: &[Option<&str>]) -> Option<f64> {
    let parsed: Vec<Option<u64>> = values.iter().map(|v| v.and_then(delta_seconds)).collect();
    let first = *parsed.first()?;
    match parsed.iter().all(|v| *v == first) {
        true => first.map(|s| s as f64),
        false => None,
    }
}

/// `Expires` less `Date` (or `now` without a valid `Date`); an invalid
/// `Expires`, such as `0`, means already expired.
fn expires_in(expires: &str, date: Option<&str>, now: f64) -> f64 {
    match http_date(expires) {
        None => 0.0,
        Some(expires) => expires - date.and_then(http_date).unwrap_or(now),
    }
}

/// Directive names with their values (unquoted), split on commas outside quotes.
fn directives(header: &str) -> Vec<(&str, Option<&str>)> {
    split_outside_quotes(header)
        .into_iter()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| match d.split_once('=') {
            Some((name, value)) => (name.trim(), Some(unquote(value.trim()))),
            None => (d, None),
        })
        .collect()
}

fn split_outside_quotes(header: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (at, c) in header.char_indices() {
        match (c, quoted, escaped) {
            (_, true, true) => escaped = false,
            ('\\', true, false) => escaped = true,
            ('"', _, false) => quoted = !quoted,
            (',', false, _) => {
                parts.push(header.get(start..at).unwrap_or_default());
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(header.get(start..).unwrap_or_default());
    parts
}

fn unquote(value: &str) -> &str {
    value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value)
}

/// `1*DIGIT`, saturating at 2^31.
fn delta_seconds(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(text.bytes().fold(0u64, |n, b| (n * 10 + u64::from(b - b'0')).min(MAX_DELTA)))
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) in seconds since the
/// epoch. The obsolete forms are not read: they count as invalid.
pub fn http_date(text: &str) -> Option<f64> {
    let (_weekday, rest) = text.trim().split_once(", ")?;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = parts.as_slice() else { return None };
    let number = |s: &str, len: usize| (s.len() == len).then(|| delta_seconds(s)).flatten();
    let month = MONTHS.iter().position(|m| m == month)? as u64 + 1;
    let (day, year) = (number(day, 2)?, number(year, 4)?);
    let hms: Vec<u64> = time.split(':').map(|t| number(t, 2)).collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else { return None };
    if !(1..=31).contains(&day) || *h > 23 || *m > 59 || *s > 60 || year < 1970 {
        return None;
    }
    Some((days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s) as f64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (year >= 1970).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    (era * 146_097 + day_of_era).saturating_sub(719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(value: &str) -> Freshness {
        read(&Headers { cache_control: Some(value), ..Headers::default() }, 1000.0)
    }

    #[test]
    fn reads_cache_control() {
        assert_eq!(cc("public, max-age=300").lifetime, Some(300.0));
        assert_eq!(cc("max-age=300, s-maxage=60").lifetime, Some(60.0));
        assert_eq!(cc("MAX-AGE=\"120\"").lifetime, Some(120.0));
        assert_eq!(cc("max-age=x").lifetime, Some(0.0));
        assert_eq!(cc("max-age=10, max-age=20").lifetime, Some(0.0));
        assert_eq!(cc("max-age=10, max-age=10").lifetime, Some(10.0));
        assert_eq!(cc("no-cache, max-age=300").lifetime, Some(0.0));
        assert_eq!(cc("private=\"a, max-age=9\", max-age=5").lifetime, Some(5.0));
        assert_eq!(cc("max-age=99999999999999999999").lifetime, Some(MAX_DELTA as f64));
        let none = cc("no-store, max-age=300");
        assert_eq!((none.lifetime, none.store), (Some(0.0), false));
        assert_eq!(cc("max-age=60, stale-if-error=600").stale_if_error, Some(600.0));
        assert_eq!(cc("public").lifetime, None);
    }

    #[test]
    fn age_counts_against_max_age() {
        let headers = Headers { cache_control: Some("max-age=300"), age: Some("100"), ..Headers::default() };
        assert_eq!(read(&headers, 0.0).lifetime, Some(200.0));
        let older = Headers { cache_control: Some("max-age=300"), age: Some("900"), ..Headers::default() };
        assert_eq!(read(&older, 0.0).lifetime, Some(0.0));
    }

    #[test]
    fn expires_less_date_when_no_max_age() {
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        let headers = Headers { expires: Some("Sun, 06 Nov 1994 08:59:37 GMT"), date: Some(date), ..Headers::default() };
        assert_eq!(read(&headers, 0.0).lifetime, Some(600.0));
        let invalid = Headers { expires: Some("0"), ..Headers::default() };
        assert_eq!(read(&invalid, 0.0).lifetime, Some(0.0));
        assert_eq!(http_date(date), Some(784_111_777.0));
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        assert_eq!(http_date("Tue, 29 Feb 2028 12:00:00 GMT"), Some(1_835_438_400.0));
        for bad in ["Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT", ""] {
            assert_eq!(http_date(bad), None, "{bad}");
        }
    }
}
