//! The gateway policy: which routes are public and which credentials others
//! need. Pure matching, used by the Worker's gateway.
//!
//! `GATEWAY_POLICY` is a JSON array of rules `{"prefix", "methods"?, "auth",
//! "jwt_only"?, "scopes"?}` where `auth` is `"public"` or a list drawn from
//! `jwt`, `api_key`, `service_token`, `basic`. The longest matching prefix
//! decides: among the rules with that prefix, the one listing the request's
//! method (or listing none) applies. A method the longest prefix does not
//! list never falls through to a shorter, perhaps public, prefix; such a
//! request, like one no rule matches, is not forwarded at all.

use serde::Deserialize;

/// A kind of credential a route may accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Jwt,
    ApiKey,
    ServiceToken,
    Basic,
}

/// `"public"`, or the credentials a route accepts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Auth {
    Public(PublicMarker),
    Required(Vec<Method>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicMarker {
    Public,
}

/// One rule of the policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub prefix: String,
    #[serde(default)]
    pub methods: Option<Vec<String>>,
    pub auth: Auth,
    #[serde(default)]
    pub jwt_only: bool,
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// The whole policy: rules matched by longest prefix.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    rules: Vec<Rule>,
}

impl Policy {
    pub fn parse(json: &str) -> Result<Policy, String> {
        let rules: Vec<Rule> = serde_json::from_str(json).map_err(|e| format!("is not a valid policy: {e}"))?;
        for rule in &rules {
            if !rule.prefix.starts_with('/') {
                return Err(format!("has a prefix that does not start with '/': {}", rule.prefix));
            }
            if matches!(&rule.auth, Auth::Required(methods) if methods.is_empty()) {
                return Err(format!("lists no credential for {}", rule.prefix));
            }
            if rule.jwt_only && !matches!(&rule.auth, Auth::Required(methods) if methods.contains(&Method::Jwt)) {
                return Err(format!("sets jwt_only without jwt for {}", rule.prefix));
            }
        }
        Ok(Policy { rules })
    }

    /// Whether any route accepts `method`.
    pub fn accepts(&self, method: Method) -> bool {
        self.rules.iter().any(|rule| matches!(&rule.auth, Auth::Required(listed) if listed.contains(&method)))
    }

    /// True when no route is forwarded at all.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rule for `method` and `path`: of the rules with the longest
    /// matching prefix, the one that lists `method` (or lists no methods).
    pub fn rule_for(&self, method: &str, path: &str) -> Option<&Rule> {
        let matching = || self.rules.iter().filter(|rule| path.starts_with(&rule.prefix));
        let longest = matching().map(|rule| rule.prefix.len()).max()?;
        matching().filter(|rule| rule.prefix.len() == longest).find(|rule| rule.serves(method))
    }
}

impl Rule {
    /// The credential kinds to try, in Moose's order: JWT before API key.
    pub fn methods(&self) -> Vec<Method> {
        let Auth::Required(listed) = &self.auth else { return Vec::new() };
        let order = [Method::Jwt, Method::ApiKey, Method::ServiceToken, Method::Basic];
        let allowed = |m: &Method| listed.contains(m) && !(self.jwt_only && *m != Method::Jwt);
        order.into_iter().filter(allowed).collect()
    }

    pub fn is_public(&self) -> bool {
        matches!(self.auth, Auth::Public(_))
    }

    fn serves(&self, method: &str) -> bool {
        self.methods.as_ref().is_none_or(|methods| methods.iter().any(|m| m.eq_ignore_ascii_case(method)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = r#"[
        {"prefix": "/api/", "auth": ["api_key", "jwt"]},
        {"prefix": "/api/admin/", "auth": ["jwt"], "scopes": ["admin"]},
        {"prefix": "/api/strict/", "auth": ["api_key", "jwt"], "jwt_only": true},
        {"prefix": "/public/", "methods": ["GET"], "auth": "public"},
        {"prefix": "/", "auth": "public"},
        {"prefix": "/docs/", "methods": ["GET"], "auth": "public"},
        {"prefix": "/docs/", "methods": ["PUT"], "auth": ["jwt"]}
    ]"#;

    #[test]
    fn longest_prefix_and_method_win() {
        let policy = Policy::parse(POLICY).unwrap();
        assert_eq!(policy.rule_for("GET", "/api/x").unwrap().prefix, "/api/");
        assert_eq!(policy.rule_for("GET", "/api/admin/x").unwrap().scopes, vec!["admin"]);
        assert!(policy.rule_for("GET", "/public/a").unwrap().is_public());
        assert!(policy.rule_for("GET", "/other").unwrap().is_public());
        assert!(policy.rule_for("GET", "/docs/a").unwrap().is_public());
        assert_eq!(policy.rule_for("put", "/docs/a").unwrap().methods(), vec![Method::Jwt]);
    }

    #[test]
    fn an_unlisted_method_never_falls_through_to_a_shorter_prefix() {
        let policy = Policy::parse(POLICY).unwrap();
        assert!(policy.rule_for("POST", "/public/a").is_none());
        assert!(policy.rule_for("DELETE", "/docs/a").is_none());
        assert!(Policy::parse("[]").unwrap().rule_for("GET", "/x").is_none());
    }

    #[test]
    fn jwt_comes_first_and_jwt_only_drops_the_rest() {
        let policy = Policy::parse(POLICY).unwrap();
        assert_eq!(policy.rule_for("GET", "/api/x").unwrap().methods(), vec![Method::Jwt, Method::ApiKey]);
        assert_eq!(policy.rule_for("GET", "/api/strict/x").unwrap().methods(), vec![Method::Jwt]);
    }

    #[test]
    fn refuses_malformed_policies() {
        for bad in ["{}", r#"[{"prefix": "api", "auth": "public"}]"#, r#"[{"prefix": "/a", "auth": []}]"#,
            r#"[{"prefix": "/a", "auth": ["magic"]}]"#, r#"[{"prefix": "/a", "auth": "public", "x": 1}]"#,
            r#"[{"prefix": "/a", "auth": ["api_key"], "jwt_only": true}]"#] {
            assert!(Policy::parse(bad).is_err(), "{bad}");
        }
    }
}
