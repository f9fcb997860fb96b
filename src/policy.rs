//! The gateway policy: which routes are public and which credentials others
//! need, in which order. Pure matching, used by the Worker's gateway.
//!
//! `GATEWAY_POLICY` is a JSON array of rules `{"prefix", "methods"?, "auth",
//! "jwt_only"?, "scopes"?, "providers"?}` where `auth` is `"public"` or a list
//! drawn from `jwt`, `api_key`, `key:<set>`, `service_token`, `basic`: the
//! order in which [`crate::authn`] tries them. The longest matching prefix
//! decides (a prefix ending in `/` also covers the path without it); among the
//! rules with that prefix, the one listing the request's method beats the one
//! listing none. Two rules that would both claim a request are a configuration
//! error, so the order of the array never decides. A method the longest prefix
//! does not serve never falls through to a shorter, perhaps public, prefix;
//! such a request, like one no rule matches, is not forwarded at all.

use serde::de::{self, Deserializer};
use serde::Deserialize;

/// A kind of credential a route may accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A JWT in `Authorization: Bearer`, checked by a provider.
    Jwt,
    /// One of this Worker's own API keys (in Workers KV).
    ApiKey,
    /// A key of the named static key set (`GATEWAY_KEYS`).
    Key(String),
    ServiceToken,
    Basic,
}

impl Kind {
    fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "jwt" => Kind::Jwt,
            "api_key" => Kind::ApiKey,
            "service_token" => Kind::ServiceToken,
            "basic" => Kind::Basic,
            _ => Kind::Key(name.strip_prefix("key:").filter(|set| !set.is_empty())?.to_owned()),
        })
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Kind, D::Error> {
        let name = String::deserialize(deserializer)?;
        Kind::parse(&name).ok_or_else(|| de::Error::custom(format!("unknown credential kind \"{name}\"")))
    }
}

/// `"public"`, or the credentials a route accepts, in the order tried.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Auth {
    Public(PublicMarker),
    Required(Vec<Kind>),
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
    /// `null` is refused: it must not read as "every method".
    #[serde(default, deserialize_with = "crate::json::not_null")]
    pub methods: Option<Vec<String>>,
    pub auth: Auth,
    /// Only the JWT is accepted, whatever else `auth` lists (Moose's
    /// `enforce_on_all_*` flags).
    #[serde(default)]
    pub jwt_only: bool,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The JWT providers (by name) this route accepts; all when absent
    /// (`null` is refused: it must not read as "all").
    #[serde(default, deserialize_with = "crate::json::not_null")]
    pub providers: Option<Vec<String>>,
}

/// The whole policy: rules matched by longest prefix.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    rules: Vec<Rule>,
}

impl Policy {
    pub fn parse(json: &str) -> Result<Policy, String> {
        let rules: Vec<Rule> = serde_json::from_str(json).map_err(|e| format!("is not a valid policy: {e}"))?;
        for (i, rule) in rules.iter().enumerate() {
            rule.check()?;
            if let Some(other) = rules.iter().skip(i + 1).find(|other| rule.overlaps(other)) {
                return Err(format!("has two rules for the same requests under {} ({})", other.prefix, rule.method_names()));
            }
        }
        Ok(Policy { rules })
    }

    /// Whether any route accepts `kind`.
    pub fn accepts(&self, kind: &Kind) -> bool {
        self.kinds().any(|listed| listed == kind)
    }

    /// Every credential kind some route lists.
    pub fn kinds(&self) -> impl Iterator<Item = &Kind> {
        self.rules.iter().flat_map(|rule| match &rule.auth {
            Auth::Required(kinds) => kinds.as_slice(),
            Auth::Public(_) => &[],
        })
    }

    /// Every provider name some route restricts its JWTs to.
    pub fn provider_names(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().flat_map(|rule| rule.providers.iter().flatten()).map(String::as_str)
    }

    /// True when no route is forwarded at all.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rule for `method` and `path`: of the rules with the longest
    /// matching prefix, the one that lists `method`, else the one that lists
    /// no methods.
    pub fn rule_for(&self, method: &str, path: &str) -> Option<&Rule> {
        let matching = || self.rules.iter().filter(|rule| rule.covers(path));
        let longest = matching().map(|rule| rule.prefix.len()).max()?;
        let candidates = || matching().filter(|rule| rule.prefix.len() == longest);
        candidates()
            .find(|rule| rule.lists(method))
            .or_else(|| candidates().find(|rule| rule.methods.is_none()))
    }
}

impl Rule {
    /// The credential kinds to try, in the order listed.
    pub fn kinds(&self) -> impl Iterator<Item = &Kind> {
        let listed = match &self.auth {
            Auth::Required(kinds) => kinds.as_slice(),
            Auth::Public(_) => &[],
        };
        listed.iter().filter(|kind| !self.jwt_only || **kind == Kind::Jwt)
    }

    pub fn is_public(&self) -> bool {
        matches!(self.auth, Auth::Public(_))
    }

    /// Whether a JWT provider of this name may vouch for callers here.
    pub fn allows_provider(&self, name: Option<&str>) -> bool {
        self.providers.as_ref().is_none_or(|names| name.is_some_and(|name| names.iter().any(|n| n == name)))
    }

    fn check(&self) -> Result<(), String> {
        let prefix = &self.prefix;
        if !prefix.starts_with('/') {
            return Err(format!("has a prefix that does not start with '/': {prefix}"));
        }
        let listed: Vec<&Kind> = match &self.auth {
            Auth::Required(kinds) => kinds.iter().collect(),
            Auth::Public(_) => Vec::new(),
        };
        if matches!(&self.auth, Auth::Required(kinds) if kinds.is_empty()) {
            return Err(format!("lists no credential for {prefix}"));
        }
        if listed.iter().enumerate().any(|(i, kind)| listed.iter().skip(i + 1).any(|other| other == kind)) {
            return Err(format!("lists a credential twice for {prefix}"));
        }
        if (self.jwt_only || self.providers.is_some()) && !listed.contains(&&Kind::Jwt) {
            return Err(format!("sets jwt_only or providers without jwt for {prefix}"));
        }
        if self.providers.as_ref().is_some_and(Vec::is_empty) || self.methods.as_ref().is_some_and(Vec::is_empty) {
            return Err(format!("has an empty providers or methods list for {prefix}"));
        }
        Ok(())
    }

    fn covers(&self, path: &str) -> bool {
        path.starts_with(&self.prefix) || self.prefix.strip_suffix('/').is_some_and(|bare| !bare.is_empty() && path == bare)
    }

    fn lists(&self, method: &str) -> bool {
        self.methods.as_ref().is_some_and(|methods| methods.iter().any(|m| m.eq_ignore_ascii_case(method)))
    }

    /// Whether this rule and `other` would both claim some request.
    fn overlaps(&self, other: &Rule) -> bool {
        self.prefix == other.prefix
            && match (&self.methods, &other.methods) {
                (None, None) => true,
                (Some(mine), Some(_)) => mine.iter().any(|m| other.lists(m)),
                _ => false,
            }
    }

    fn method_names(&self) -> String {
        self.methods.as_ref().map_or_else(|| "every method".to_owned(), |methods| methods.join(", "))
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
        {"prefix": "/docs/", "methods": ["PUT"], "auth": ["jwt"]},
        {"prefix": "/ingest/", "auth": ["key:ingest", "basic"]}
    ]"#;

    fn kinds(rule: &Rule) -> Vec<Kind> {
        rule.kinds().cloned().collect()
    }

    #[test]
    fn longest_prefix_and_method_win() {
        let policy = Policy::parse(POLICY).unwrap();
        assert_eq!(policy.rule_for("GET", "/api/x").unwrap().prefix, "/api/");
        assert_eq!(policy.rule_for("GET", "/api/admin/x").unwrap().scopes, vec!["admin"]);
        assert!(policy.rule_for("GET", "/public/a").unwrap().is_public());
        assert!(policy.rule_for("GET", "/other").unwrap().is_public());
        assert!(policy.rule_for("GET", "/docs/a").unwrap().is_public());
        assert_eq!(kinds(policy.rule_for("put", "/docs/a").unwrap()), vec![Kind::Jwt]);
        assert_eq!(kinds(policy.rule_for("POST", "/ingest/x").unwrap()), vec![Kind::Key("ingest".into()), Kind::Basic]);
    }

    #[test]
    fn a_rule_listing_the_method_beats_one_listing_none_whatever_the_order() {
        for policy in [
            r#"[{"prefix":"/api/","auth":"public"},{"prefix":"/api/","methods":["DELETE"],"auth":["jwt"]}]"#,
            r#"[{"prefix":"/api/","methods":["DELETE"],"auth":["jwt"]},{"prefix":"/api/","auth":"public"}]"#,
        ] {
            let policy = Policy::parse(policy).unwrap();
            assert!(!policy.rule_for("DELETE", "/api/x").unwrap().is_public(), "{policy:?}");
            assert!(policy.rule_for("GET", "/api/x").unwrap().is_public());
        }
    }

    #[test]
    fn two_rules_claiming_the_same_requests_are_refused() {
        for bad in [
            r#"[{"prefix":"/a/","auth":"public"},{"prefix":"/a/","auth":["jwt"]}]"#,
            r#"[{"prefix":"/a/","methods":["GET","PUT"],"auth":"public"},{"prefix":"/a/","methods":["put"],"auth":["jwt"]}]"#,
        ] {
            assert!(Policy::parse(bad).unwrap_err().contains("two rules"), "{bad}");
        }
        let distinct = r#"[{"prefix":"/a/","methods":["GET"],"auth":"public"},{"prefix":"/a/","methods":["PUT"],"auth":["jwt"]}]"#;
        assert!(Policy::parse(distinct).is_ok());
    }

    #[test]
    fn a_prefix_ending_in_a_slash_covers_the_bare_path() {
        let policy = Policy::parse(r#"[{"prefix":"/api/","auth":["jwt"]},{"prefix":"/","auth":"public"}]"#).unwrap();
        assert!(!policy.rule_for("GET", "/api").unwrap().is_public());
        assert!(policy.rule_for("GET", "/apix").unwrap().is_public());
        assert!(policy.rule_for("GET", "/API/x").unwrap().is_public(), "case stays significant");
    }

    #[test]
    fn an_unlisted_method_never_falls_through_to_a_shorter_prefix() {
        let policy = Policy::parse(POLICY).unwrap();
        assert!(policy.rule_for("POST", "/public/a").is_none());
        assert!(policy.rule_for("DELETE", "/docs/a").is_none());
        assert!(Policy::parse("[]").unwrap().rule_for("GET", "/x").is_none());
    }

    #[test]
    fn kinds_keep_their_listed_order_and_jwt_only_drops_the_rest() {
        let policy = Policy::parse(POLICY).unwrap();
        assert_eq!(kinds(policy.rule_for("GET", "/api/x").unwrap()), vec![Kind::ApiKey, Kind::Jwt]);
        assert_eq!(kinds(policy.rule_for("GET", "/api/strict/x").unwrap()), vec![Kind::Jwt]);
        assert!(policy.accepts(&Kind::Key("ingest".into())));
    }

    #[test]
    fn providers_restrict_which_issuers_may_vouch() {
        let policy = Policy::parse(r#"[{"prefix":"/m/","auth":["jwt"],"providers":["moose"]},{"prefix":"/","auth":["jwt"]}]"#).unwrap();
        let moose = policy.rule_for("GET", "/m/x").unwrap();
        assert!(moose.allows_provider(Some("moose")) && !moose.allows_provider(Some("other")) && !moose.allows_provider(None));
        assert!(policy.rule_for("GET", "/x").unwrap().allows_provider(None));
        assert_eq!(policy.provider_names().collect::<Vec<_>>(), vec!["moose"]);
    }

    #[test]
    fn refuses_malformed_policies() {
        for bad in ["{}", r#"[{"prefix": "api", "auth": "public"}]"#, r#"[{"prefix": "/a", "auth": []}]"#,
            r#"[{"prefix": "/a", "auth": ["magic"]}]"#, r#"[{"prefix": "/a", "auth": "public", "x": 1}]"#,
            r#"[{"prefix": "/a", "auth": ["api_key"], "jwt_only": true}]"#, r#"[{"prefix": "/a", "auth": ["key:"]}]"#,
            r#"[{"prefix": "/a", "auth": ["jwt", "jwt"]}]"#, r#"[{"prefix": "/a", "auth": ["basic"], "providers": ["p"]}]"#,
            r#"[{"prefix": "/a", "auth": ["jwt"], "providers": []}]"#, r#"[{"prefix": "/a", "methods": [], "auth": "public"}]"#,
            r#"[{"prefix": "/a", "auth": ["jwt"], "providers": null}]"#, r#"[{"prefix": "/a", "methods": null, "auth": ["jwt"]}]"#] {
            assert!(Policy::parse(bad).is_err(), "{bad}");
        }
    }
}
