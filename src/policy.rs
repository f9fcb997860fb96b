//! The gateway policy: which routes are public and which credentials others
//! need. Pure matching, used by the Worker's gateway.
//!
//! `GATEWAY_POLICY` is a JSON array of rules `{"prefix", "methods"?, "auth",
//! "jwt_only"?, "scopes"?}` where `auth` is `"public"` or a list drawn from
//! `jwt`, `api_key`, `service_token`, `basic`. The longest matching prefix
//! wins; a request no rule matches is not forwarded at all.

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
        }
        Ok(Policy { rules })
    }

    /// The rule for `method` and `path`: the longest matching prefix.
    pub fn rule_for(&self, method: &str, path: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .filter(|rule| path.starts_with(&rule.prefix))
            .filter(|rule| rule.methods.as_ref().is_none_or(|methods| methods.iter().any(|m| m.eq_ignore_ascii_case(method))))
            .max_by_key(|rule| rule.prefix.len())
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
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = r#"[
        {"prefix": "/api/", "auth": ["api_key", "jwt"]},
        {"prefix": "/api/admin/", "auth": ["jwt"], "scopes": ["admin"]},
        {"prefix": "/api/strict/", "auth": ["api_key", "jwt"], "jwt_only": true},
        {"prefix": "/public/", "methods": ["GET"], "auth": "public"}
    ]"#;

    #[test]
    fn longest_prefix_and_method_win() {
        let policy = Policy::parse(POLICY).unwrap();
        assert_eq!(policy.rule_for("GET", "/api/x").unwrap().prefix, "/api/");
        assert_eq!(policy.rule_for("GET", "/api/admin/x").unwrap().scopes, vec!["admin"]);
        assert!(policy.rule_for("GET", "/public/a").unwrap().is_public());
        assert!(policy.rule_for("POST", "/public/a").is_none());
        assert!(policy.rule_for("GET", "/other").is_none());
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
            r#"[{"prefix": "/a", "auth": ["magic"]}]"#, r#"[{"prefix": "/a", "auth": "public", "x": 1}]"#] {
            assert!(Policy::parse(bad).is_err(), "{bad}");
        }
    }
}
