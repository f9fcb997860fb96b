//! The credentials a request presents, read once per request.
//!
//! The `Authorization` header is parsed here and nowhere else: its scheme
//! decides whether it carries a Bearer token (a JWT, an API key or a static
//! key) or Basic credentials. Other headers and the query are read through
//! [`RequestView`], which the host implements over its own request type.

use crate::http_auth::{parse_basic, parse_bearer, BasicCredentials};
use crate::{Error, Result};

/// What the chain may read of a request.
pub trait RequestView {
    /// The value of header `name` (case-insensitive), if present.
    fn header(&self, name: &str) -> Option<String>;
    /// The URL's query string without its `?`.
    fn query(&self) -> Option<&str>;
    /// The request's method.
    fn method(&self) -> &str;
    /// The request URL's own `scheme://host[:port]`, for the same-origin check.
    fn own_origin(&self) -> &str;
}

/// The `Authorization` header, parsed.
pub(crate) enum Authorization {
    Absent,
    /// Some other scheme: no credential this gateway reads.
    Other,
    Bearer(Result<String>),
    Basic(Result<BasicCredentials>),
}

impl Authorization {
    pub(crate) fn read(request: &impl RequestView) -> Authorization {
        let Some(value) = request.header("authorization") else { return Authorization::Absent };
        let scheme = value.split(' ').next().unwrap_or_default();
        if scheme.eq_ignore_ascii_case("bearer") {
            Authorization::Bearer(parse_bearer(&value).map(str::to_owned))
        } else if scheme.eq_ignore_ascii_case("basic") {
            Authorization::Basic(parse_basic(&value))
        } else {
            Authorization::Other
        }
    }

    /// The Bearer token, `None` when there is none; a malformed one is an error.
    pub(crate) fn bearer(&self) -> Option<Result<&str>> {
        match self {
            Authorization::Bearer(token) => Some(token.as_deref().map_err(Clone::clone)),
            _ => None,
        }
    }

    /// The Bearer token if it has the shape of a compact JWS (three segments).
    pub(crate) fn bearer_jwt(&self) -> Option<Result<&str>> {
        self.bearer().filter(|token| token.as_ref().map_or(true, |token| token.matches('.').count() == 2))
    }

    pub(crate) fn basic(&self) -> Option<Result<&BasicCredentials>> {
        match self {
            Authorization::Basic(credentials) => Some(credentials.as_ref().map_err(Error::clone)),
            _ => None,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A request made of header pairs and a query, for the chain's tests.
    pub(crate) struct Fake {
        pub headers: Vec<(String, String)>,
        pub query: Option<String>,
        pub method: &'static str,
    }

    impl RequestView for Fake {
        fn header(&self, name: &str) -> Option<String> {
            self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
        }
        fn query(&self) -> Option<&str> {
            self.query.as_deref()
        }
        fn method(&self) -> &str {
            self.method
        }
        fn own_origin(&self) -> &str {
            "https://dash.example"
        }
    }

    fn with_authorization(value: &str) -> Authorization {
        Authorization::read(&Fake { headers: vec![("Authorization".into(), value.into())], query: None, method: "GET" })
    }

    #[test]
    fn reads_the_scheme_once() {
        assert_eq!(with_authorization("bearer a.b.c").bearer_jwt().unwrap().unwrap(), "a.b.c");
        assert!(with_authorization("Bearer opaque").bearer_jwt().is_none());
        assert_eq!(with_authorization("Bearer opaque").bearer().unwrap().unwrap(), "opaque");
        assert!(with_authorization("Bearer  bad").bearer().unwrap().is_err());
        assert_eq!(with_authorization("Basic dTpw").basic().unwrap().unwrap().user_id, "u");
        assert!(with_authorization("Digest x").bearer().is_none() && with_authorization("Digest x").basic().is_none());
        assert!(Authorization::read(&Fake { headers: vec![], query: None, method: "GET" }).bearer().is_none());
    }
}
