//! Service tokens: one shared token per service, presented in a header or, for
//! WebSocket upgrades (where browsers cannot set headers), in a query parameter.
//!
//! The header is configurable (default [`DEFAULT_SERVICE_TOKEN_HEADER`]); its
//! value must be visible ASCII without spaces. The query parameter is
//! [`SERVICE_TOKEN_QUERY_PARAMETER`], read only for a WebSocket upgrade and only
//! if allowed; its value must consist of URL-unreserved characters
//! (`A-Z a-z 0-9 - . _ ~`), so it is used exactly as sent, never
//! percent-decoded. A token presented twice (in both places, or the parameter
//! repeated) is refused rather than guessed at. The token read is then checked
//! against its hash with [`crate::secret_hash::verify_secret`].

use super::check_len;
use crate::{Error, Result};

/// The header read by a default [`ServiceTokenSource`].
pub const DEFAULT_SERVICE_TOKEN_HEADER: &str = "X-Service-Token";
/// The query parameter read for WebSocket upgrades.
pub const SERVICE_TOKEN_QUERY_PARAMETER: &str = "token";

const MAX_HEADER_NAME_LEN: usize = 64;

/// Where a deployment's service token is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceTokenSource {
    header_name: String,
    allow_query: bool,
}

impl Default for ServiceTokenSource {
    fn default() -> Self {
        ServiceTokenSource {
            header_name: DEFAULT_SERVICE_TOKEN_HEADER.to_owned(),
            allow_query: true,
        }
    }
}

impl ServiceTokenSource {
    /// Reads the header `header_name` (an HTTP field name), and the query
    /// parameter for WebSocket upgrades if `allow_query`.
    pub fn new(header_name: &str, allow_query: bool) -> Result<Self> {
        let is_tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if header_name.is_empty()
            || header_name.len() > MAX_HEADER_NAME_LEN
            || !header_name.bytes().all(is_tchar)
        {
            return Err(Error::CredentialMalformed(
                "a service token header name must be an HTTP field name",
            ));
        }
        Ok(ServiceTokenSource { header_name: header_name.to_owned(), allow_query })
    }

    /// The header the caller should look up and pass to [`Self::extract`].
    pub fn header_name(&self) -> &str {
        &self.header_name
    }

    /// The presented token, `None` if there is none.
    ///
    /// `header` is the value of [`Self::header_name`] if the request has it;
    /// `query` is the URL's query string without its `?`.
    pub fn extract<'a>(
        &self,
        header: Option<&'a str>,
        query: Option<&'a str>,
        websocket_upgrade: bool,
    ) -> Result<Option<&'a str>> {
        let query = query.filter(|_| self.allow_query && websocket_upgrade);
        match (header, query.map(query_token).transpose()?.flatten()) {
            (Some(_), Some(_)) => {
                Err(Error::CredentialMalformed("service token is presented twice"))
            }
            (Some(value), None) => header_token(value).map(Some),
            (None, from_query) => Ok(from_query),
        }
    }
}

impl ServiceTokenSource {
    /// `query` (without its `?`) as it goes on to the origin: without the
    /// token parameter where [`Self::extract`] reads it (a WebSocket upgrade,
    /// when allowed), every other pair exactly as sent.
    pub fn forwarded_query<'a>(&self, query: &'a str, websocket_upgrade: bool) -> std::borrow::Cow<'a, str> {
        let is_token = |pair: &&str| pair.split('=').next() == Some(SERVICE_TOKEN_QUERY_PARAMETER);
        let read_here = self.allow_query && websocket_upgrade;
        if !read_here || !query.split('&').any(|pair| is_token(&pair)) {
            return query.into();
        }
        query.split('&').filter(|pair| !is_token(pair)).collect::<Vec<_>>().join("&").into()
    }
}

/// A header value: visible ASCII, no spaces.
fn header_token(value: &str) -> Result<&str> {
    check_len(value)?;
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::CredentialMalformed("service token header is malformed"));
    }
    Ok(value)
}

/// The `token` parameter's value, if present exactly once.
fn query_token(query: &str) -> Result<Option<&str>> {
    let mut values = query
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .filter(|(name, _)| *name == SERVICE_TOKEN_QUERY_PARAMETER)
        .map(|(_, value)| value);
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(Error::CredentialMalformed("service token query parameter is repeated"));
    }
    check_len(value)?;
    let unreserved = |b: u8| b.is_ascii_alphanumeric() || b"-._~".contains(&b);
    if value.is_empty() || !value.bytes().all(unreserved) {
        return Err(Error::CredentialMalformed("service token query parameter is malformed"));
    }
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http_auth::MAX_CREDENTIAL_LEN;

    fn code<T: std::fmt::Debug>(result: Result<T>) -> &'static str {
        result.unwrap_err().code()
    }

    #[test]
    fn reads_the_header() {
        let source = ServiceTokenSource::default();
        assert_eq!(source.header_name(), "X-Service-Token");
        assert_eq!(source.extract(Some("s3cr3t!/+="), None, false).unwrap(), Some("s3cr3t!/+="));
        assert_eq!(source.extract(Some("s3cr3t"), Some("other=1"), true).unwrap(), Some("s3cr3t"));
        assert_eq!(source.extract(None, None, true).unwrap(), None);
    }

    #[test]
    fn reads_the_query_only_for_websocket_upgrades() {
        let source = ServiceTokenSource::default();
        let query = Some("room=1&token=abc-DEF_1.2~3&x");
        assert_eq!(source.extract(None, query, true).unwrap(), Some("abc-DEF_1.2~3"));
        assert_eq!(source.extract(None, query, false).unwrap(), None);
        let headers_only = ServiceTokenSource::new("X-Internal-Auth", false).unwrap();
        assert_eq!(headers_only.extract(None, query, true).unwrap(), None);
        assert_eq!(source.extract(None, Some("tokens=abc&Token=abc"), true).unwrap(), None);
    }

    #[test]
    fn refuses_malformed_or_ambiguous_tokens() {
        let source = ServiceTokenSource::default();
        let long = "a".repeat(MAX_CREDENTIAL_LEN + 1);
        for header in ["", " abc", "abc ", "a b", "abc\t", "ab\u{e9}", long.as_str()] {
            assert_eq!(
                code(source.extract(Some(header), None, false)),
                "ERR_CREDENTIAL_MALFORMED",
                "{header:?}"
            );
        }
        let long_query = format!("token={long}");
        for query in [
            "token=",
            "token",
            "token=a%20b",
            "token=a+b",
            "token=a/b",
            "token=\u{e9}",
            "token=a&token=a",
            long_query.as_str(),
        ] {
            assert_eq!(
                code(source.extract(None, Some(query), true)),
                "ERR_CREDENTIAL_MALFORMED",
                "{query:?}"
            );
        }
        assert_eq!(
            code(source.extract(Some("abc"), Some("token=abc"), true)),
            "ERR_CREDENTIAL_MALFORMED"
        );
    }

    #[test]
    fn only_the_token_read_is_kept_from_the_origin() {
        let source = ServiceTokenSource::default();
        assert_eq!(source.forwarded_query("room=1&token=abc&x=%2f+y", true), "room=1&x=%2f+y");
        assert_eq!(source.forwarded_query("token=abc", true), "");
        assert_eq!(source.forwarded_query("token=abc&x=%2f", false), "token=abc&x=%2f", "a plain request's token is not ours");
        assert_eq!(source.forwarded_query("tokens=1&a&&b", true), "tokens=1&a&&b");
        assert_eq!(ServiceTokenSource::new("X-T", false).unwrap().forwarded_query("token=abc", true), "token=abc");
    }

    #[test]
    fn validates_the_header_name() {
        assert_eq!(
            ServiceTokenSource::new("X-Api_Token", true).unwrap().header_name(),
            "X-Api_Token"
        );
        for bad in ["", "X Token", "X:Token", "X-T\u{f6}ken", &"x".repeat(65)] {
            assert!(ServiceTokenSource::new(bad, true).is_err(), "{bad:?}");
        }
    }
}
