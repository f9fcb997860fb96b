//! The same-origin check for requests a cookie authenticates: a browser
//! sends cookies on cross-site requests too, so a cookie alone never
//! authorizes a write from another site. Safe methods pass; a mutating one
//! needs `Sec-Fetch-Site: same-origin`, or else an `Origin` equal to the
//! request's own. A request with neither is refused.

use super::role::is_safe_method;

/// Whether a cookie-authenticated request may go on. `own_origin` is the
/// request URL's `scheme://host[:port]`.
pub fn is_same_origin(method: &str, origin: Option<&str>, sec_fetch_site: Option<&str>, own_origin: &str) -> bool {
    if is_safe_method(method) {
        return true;
    }
    match (sec_fetch_site, origin) {
        (Some(site), _) if site.eq_ignore_ascii_case("same-origin") => true,
        (Some(_), _) => false,
        (None, Some(origin)) => origin.eq_ignore_ascii_case(own_origin),
        (None, None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "https://dash.example";

    #[test]
    fn cookies_never_authorize_a_cross_site_write() {
        assert!(is_same_origin("GET", Some("https://evil.example"), Some("cross-site"), OWN));
        assert!(is_same_origin("POST", None, Some("same-origin"), OWN));
        assert!(is_same_origin("DELETE", Some(OWN), None, OWN));
        assert!(!is_same_origin("POST", Some(OWN), Some("same-site"), OWN));
        assert!(!is_same_origin("POST", Some("https://evil.example"), None, OWN));
        assert!(!is_same_origin("POST", Some("null"), None, OWN));
        assert!(!is_same_origin("PATCH", None, None, OWN));
    }
}
