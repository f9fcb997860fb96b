//! The gateway policy: which routes are public and which credentials others
//! need, in which order. Pure matching, used by the Worker's gateway.
//!
//! `GATEWAY_POLICY` is a JSON array of rules `{"prefix" | "path", "methods"?,
//! "auth", "jwt_only"?, "scopes"?, "providers"?, "forward_credentials"?,
//! "role"?, "inject"?, "audiences"?}` where `auth` is `"public"` or a list drawn from `jwt`,
//! `api_key`, `key:<set>`, `service_token`, `basic`, `session` (a dashboard
//! user, who needs at least `role` where one is set): the order in which
//! [`crate::authn`] tries them. `inject` adds stored secrets to the headers a
//! protected route forwards ([`crate::inject`]); `audiences` takes only API
//! keys issued for, and JWTs addressed to, one of them. An exact `path` beats every prefix, else the
//! longest matching prefix decides (a prefix ending in `/` also covers the
//! path without it); among the rules that cover a path equally well, the one
//! listing the request's method beats the one listing none (`GET` claims
//! `HEAD` too). Two rules that would both claim a request are a configuration
//! error, so the order of the array never decides, and so is a pattern no
//! canonical request path can equal. A method the best rules do not serve
//! never falls through to a shorter, perhaps public, prefix; such a request,
//! like one no rule matches, is not forwarded at all.

use crate::inject::Injection;
use crate::session::Role;
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
    /// A dashboard user's session cookie ([`crate::session`]).
    Session,
}

impl Kind {
    fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "jwt" => Kind::Jwt,
            "api_key" => Kind::ApiKey,
            "service_token" => Kind::ServiceToken,
            "basic" => Kind::Basic,
            "session" => Kind::Session,
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

/// Which paths a rule covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    /// Every path that starts with it; one ending in `/` also covers the path without it.
    Prefix(String),
    /// Exactly this path.
    Exact(String),
}

impl Pattern {
    pub fn as_str(&self) -> &str {
        match self {
            Pattern::Prefix(text) | Pattern::Exact(text) => text,
        }
    }

    /// How well it covers `path`, `None` when it does not: an exact path beats
    /// any prefix, a longer prefix a shorter one, and at equal length a prefix
    /// met as written beats one ending in `/` that covers the path without it.
    fn rank(&self, path: &str) -> Option<(bool, usize, bool)> {
        match self {
            Pattern::Exact(exact) => (path == exact).then_some((true, exact.len(), true)),
            Pattern::Prefix(prefix) if path.starts_with(prefix.as_str()) => Some((false, prefix.len(), true)),
            Pattern::Prefix(prefix) => {
                let bare = prefix.strip_suffix('/').filter(|bare| !bare.is_empty() && path == *bare)?;
                Some((false, bare.len(), false))
            }
        }
    }
}

/// One rule of the policy, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleText {
    #[serde(default, deserialize_with = "crate::json::not_null")]
    prefix: Option<String>,
    #[serde(default, deserialize_with = "crate::json::not_null")]
    path: Option<String>,
    #[serde(default, deserialize_with = "crate::json::not_null")]
    methods: Option<Vec<String>>,
    auth: Auth,
    #[serde(default)]
    jwt_only: bool,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default, deserialize_with = "crate::json::not_null")]
    providers: Option<Vec<String>>,
    #[serde(default)]
    forward_credentials: bool,
    #[serde(default, deserialize_with = "crate::json::not_null")]
    role: Option<Role>,
    #[serde(default, deserialize_with = "crate::inject::deserialize")]
    inject: Vec<Injection>,
    #[serde(default, deserialize_with = "crate::json::not_null")]
    audiences: Option<Vec<String>>,
}

/// One rule of the policy.
#[derive(Debug, Clone)]
pub struct Rule {
    pub pattern: Pattern,
    /// The methods it serves (upper case); every method when `None`.
    pub methods: Option<Vec<String>>,
    pub auth: Auth,
    /// Only the JWT is accepted, whatever else `auth` lists (Moose's
    /// `enforce_on_all_*` flags).
    pub jwt_only: bool,
    pub scopes: Vec<String>,
    /// The JWT providers (by name) this route accepts; all when absent.
    pub providers: Option<Vec<String>>,
    /// The credentials go on to the origin too, for an origin that checks
    /// them again itself and cannot be told not to (Kure's backend).
    pub forward_credentials: bool,
    /// The least role a session needs here (beyond what its role permits of
    /// the method); other credentials are judged by `scopes`.
    pub role: Option<Role>,
    /// Headers added to the forwarded request from stored secrets.
    pub inject: Vec<Injection>,
    /// An API key must have been issued for one of these, a JWT's `aud` name one.
    pub audiences: Option<Vec<String>>,
}

/// The whole policy: rules matched by exact path, else longest prefix.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    rules: Vec<Rule>,
    /// Paths and patterns compared in ASCII lower case, for origins that
    /// route without regard to case (Express by default, ASP.NET, IIS).
    fold_case: bool,
}

impl Policy {
    pub fn parse(json: &str) -> Result<Policy, String> {
        Policy::parse_with(json, false)
    }

    /// [`Policy::parse`], comparing paths case-insensitively when `fold_case`.
    pub fn parse_with(json: &str, fold_case: bool) -> Result<Policy, String> {
        let texts: Vec<RuleText> = serde_json::from_str(json).map_err(|e| format!("is not a valid policy: {e}"))?;
        let rules = texts.into_iter().map(|text| Rule::from_text(text, fold_case)).collect::<Result<Vec<_>, _>>()?;
        for (i, rule) in rules.iter().enumerate() {
            if let Some(other) = rules.iter().skip(i + 1).find(|other| rule.overlaps(other)) {
                return Err(format!("has two rules for the same requests under {} ({})", other.pattern.as_str(), rule.method_names()));
            }
        }
        Ok(Policy { rules, fold_case })
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

    /// A rule whose paths all lie at `path` or under it (a prefix ending in
    /// `/`), if one does: such a rule never applies where the Worker serves
    /// `path` itself.
    pub fn shadowed_by(&self, path: &str) -> Option<&Rule> {
        let under = |pattern: &str| match path.ends_with('/') {
            true => pattern.starts_with(path) || path.strip_suffix('/') == Some(pattern),
            false => pattern == path,
        };
        self.rules.iter().find(|rule| under(&self.folded(rule.pattern.as_str())))
    }

    /// True when no route is forwarded at all.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rule for `method` and `path` (canonical, see
    /// [`crate::request_path`]): of the rules that cover the path best, the
    /// one that lists `method` (`GET` also claims `HEAD`, which frameworks
    /// answer with the GET handler), else the one that lists no methods.
    pub fn rule_for(&self, method: &str, path: &str) -> Option<&Rule> {
        let path = self.folded(path);
        let best = self.rules.iter().filter_map(|rule| rule.pattern.rank(&path)).max()?;
        let candidates = || self.rules.iter().filter(|rule| rule.pattern.rank(&path) == Some(best));
        let implied = method.eq_ignore_ascii_case("HEAD").then_some("GET");
        candidates()
            .find(|rule| rule.lists(method))
            .or_else(|| implied.and_then(|get| candidates().find(|rule| rule.lists(get))))
            .or_else(|| candidates().find(|rule| rule.methods.is_none()))
    }

    fn folded<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        match self.fold_case && text.bytes().any(|b| b.is_ascii_uppercase()) {
            true => text.to_ascii_lowercase().into(),
            false => text.into(),
        }
    }
}

impl Rule {
    /// A rule for everything that takes only a session of at least `role`:
    /// the Worker's own user management.
    pub fn sessions_only(role: Role) -> Rule {
        let auth = Auth::Required(vec![Kind::Session]);
        Rule { pattern: Pattern::Prefix("/".into()), methods: None, auth, jwt_only: false, scopes: Vec::new(), providers: None, forward_credentials: false, role: Some(role), inject: Vec::new(), audiences: None }
    }

    fn from_text(text: RuleText, fold_case: bool) -> Result<Rule, String> {
        let pattern = match (text.prefix, text.path) {
            (Some(prefix), None) => Pattern::Prefix(checked_pattern(prefix, fold_case)?),
            (None, Some(path)) => Pattern::Exact(checked_pattern(path, fold_case)?),
            _ => return Err("has a rule without exactly one of prefix and path".into()),
        };
        let methods = text.methods.map(|methods| methods.iter().map(|m| m.to_ascii_uppercase()).collect());
        let rule = Rule {
            pattern,
            methods,
            auth: text.auth,
            jwt_only: text.jwt_only,
            scopes: text.scopes,
            providers: text.providers,
            forward_credentials: text.forward_credentials,
            role: text.role,
            inject: text.inject,
            audiences: text.audiences,
        };
        rule.check()?;
        Ok(rule)
    }

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
        let at = self.pattern.as_str();
        let listed: Vec<&Kind> = match &self.auth {
            Auth::Required(kinds) => kinds.iter().collect(),
            Auth::Public(_) => Vec::new(),
        };
        if matches!(&self.auth, Auth::Required(kinds) if kinds.is_empty()) {
            return Err(format!("lists no credential for {at}"));
        }
        if listed.iter().enumerate().any(|(i, kind)| listed.iter().skip(i + 1).any(|other| other == kind)) {
            return Err(format!("lists a credential twice for {at}"));
        }
        if (self.jwt_only || self.providers.is_some()) && !listed.contains(&&Kind::Jwt) {
            return Err(format!("sets jwt_only or providers without jwt for {at}"));
        }
        let audiences_apply = !listed.is_empty() && listed.iter().all(|kind| matches!(kind, Kind::Jwt | Kind::ApiKey));
        if self.audiences.as_ref().is_some_and(|audiences| audiences.is_empty() || !audiences_apply) {
            return Err(format!("sets audiences for {at}: a non-empty list, on a rule whose credentials are only jwt and api_key"));
        }
        if self.is_public() && !self.inject.is_empty() {
            return Err(format!("injects a secret on the public route {at}: anyone could use it"));
        }
        if self.role.is_some() && !listed.contains(&&Kind::Session) {
            return Err(format!("sets a role without session for {at}"));
        }
        if self.providers.as_ref().is_some_and(Vec::is_empty) || self.methods.as_ref().is_some_and(Vec::is_empty) {
            return Err(format!("has an empty providers or methods list for {at}"));
        }
        Ok(())
    }

    fn lists(&self, method: &str) -> bool {
        self.methods.as_ref().is_some_and(|methods| methods.iter().any(|m| m.eq_ignore_ascii_case(method)))
    }

    /// Whether this rule and `other` would both claim some request.
    fn overlaps(&self, other: &Rule) -> bool {
        self.pattern == other.pattern
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

/// A prefix or path as requests are compared with it: canonical (a pattern
/// no canonical path can equal would silently never match), and in lower
/// case when the policy folds case.
fn checked_pattern(pattern: String, fold_case: bool) -> Result<String, String> {
    match crate::request_path::canonical(&pattern) {
        Ok(canonical) if canonical == pattern.as_str() => Ok(if fold_case { pattern.to_ascii_lowercase() } else { pattern }),
        Ok(canonical) => Err(format!("has the path {pattern}, which requests spell {canonical}: write it so")),
        Err(refusal) => Err(format!("has the path {pattern}, which no request can have: {refusal}")),
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
        assert_eq!(policy.rule_for("GET", "/api/x").unwrap().pattern, Pattern::Prefix("/api/".into()));
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
    fn an_exact_path_beats_every_prefix_and_covers_nothing_below() {
        let policy = Policy::parse(r#"[{"path":"/api/pods/failed","methods":["POST"],"auth":["service_token"]},
            {"path":"/api/pods/failed","auth":"public"},{"prefix":"/","auth":"public"}]"#).unwrap();
        assert!(!policy.rule_for("POST", "/api/pods/failed").unwrap().is_public());
        assert!(policy.rule_for("GET", "/api/pods/failed").unwrap().is_public());
        assert!(policy.rule_for("POST", "/api/pods/failed/7/troubleshoot").unwrap().is_public());
        assert!(policy.rule_for("POST", "/api/pods/failed/").unwrap().is_public());
    }

    #[test]
    fn get_claims_head_unless_a_rule_lists_head() {
        let policy = Policy::parse(r#"[{"prefix":"/x/","methods":["GET"],"auth":["jwt"]},{"prefix":"/x/","auth":"public"}]"#).unwrap();
        assert!(!policy.rule_for("HEAD", "/x/secret").unwrap().is_public());
        let explicit = Policy::parse(r#"[{"prefix":"/x/","methods":["get"],"auth":["jwt"]},{"prefix":"/x/","methods":["HEAD"],"auth":"public"}]"#).unwrap();
        assert!(explicit.rule_for("head", "/x/secret").unwrap().is_public());
    }

    #[test]
    fn a_prefix_met_as_written_beats_a_bare_path_at_equal_length() {
        let policy = Policy::parse(r#"[{"prefix":"/api","auth":["jwt"]},{"prefix":"/api/","auth":"public"}]"#).unwrap();
        assert!(!policy.rule_for("GET", "/api").unwrap().is_public());
        assert!(policy.rule_for("GET", "/api/x").unwrap().is_public());
    }

    #[test]
    fn patterns_must_be_canonical() {
        for bad in ["/%7Eops/", "/caf%c3%a9/", "/my docs/", "/a;b/", "/a//b", "/a/../b"] {
            let json = format!(r#"[{{"prefix":"{bad}","auth":["jwt"]}}]"#);
            assert!(Policy::parse(&json).is_err(), "{bad}");
        }
        assert!(Policy::parse(r#"[{"prefix":"/~ops/","auth":["jwt"]},{"path":"/caf%C3%A9","auth":["jwt"]}]"#).is_ok());
        assert!(Policy::parse(r#"[{"auth":["jwt"]}]"#).is_err());
        assert!(Policy::parse(r#"[{"prefix":"/a","path":"/a","auth":["jwt"]}]"#).is_err());
    }

    #[test]
    fn case_folding_is_for_origins_that_ignore_case() {
        let json = r#"[{"prefix":"/Admin/","auth":["jwt"]},{"prefix":"/","auth":"public"}]"#;
        assert!(Policy::parse(json).unwrap().rule_for("GET", "/admin/users").unwrap().is_public());
        let folded = Policy::parse_with(json, true).unwrap();
        for path in ["/admin/users", "/ADMIN/users", "/aDmIn/x"] {
            assert!(!folded.rule_for("GET", path).unwrap().is_public(), "{path}");
        }
        assert!(Policy::parse_with(r#"[{"prefix":"/a/","auth":"public"},{"prefix":"/A/","auth":["jwt"]}]"#, true).is_err());
    }

    #[test]
    fn rules_the_worker_would_shadow_are_found() {
        let policy = Policy::parse(r#"[{"prefix":"/admin/plan/","auth":["jwt"]},{"path":"/health","auth":"public"},{"prefix":"/","auth":"public"}]"#).unwrap();
        assert!(policy.shadowed_by("/admin/").is_some());
        assert!(policy.shadowed_by("/health").is_some());
        assert!(policy.shadowed_by("/v0/token/").is_none());
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

    #[test]
    fn injects_secrets_on_protected_routes_only() {
        let one = Policy::parse(r#"[{"prefix": "/llm/", "auth": ["session"], "inject": {"header": "Authorization", "value": "Bearer ${secret:llm}"}}]"#).unwrap();
        let rule = one.rule_for("POST", "/llm/chat").unwrap();
        assert_eq!((rule.inject.len(), rule.inject[0].header.as_str()), (1, "authorization"));
        let many = r#"[{"prefix": "/u/", "auth": ["jwt"], "inject": [{"header": "x-a", "value": "${secret:a}"}, {"header": "x-b", "value": "${secret:b}"}]}]"#;
        assert_eq!(Policy::parse(many).unwrap().rule_for("GET", "/u/").unwrap().inject.len(), 2);
        for bad in [
            r#"[{"prefix": "/p/", "auth": "public", "inject": {"header": "x-a", "value": "${secret:a}"}}]"#,
            r#"[{"prefix": "/u/", "auth": ["jwt"], "inject": [{"header": "x-a", "value": "${secret:a}"}, {"header": "X-A", "value": "${secret:b}"}]}]"#,
            r#"[{"prefix": "/u/", "auth": ["jwt"], "inject": {"header": "x-a", "value": "${secret:a}", "when": "always"}}]"#,
            r#"[{"prefix": "/u/", "auth": ["jwt"], "inject": {"header": "x-auth-subject", "value": "${secret:a}"}}]"#,
            r#"[{"prefix": "/u/", "auth": ["jwt"], "inject": null}]"#,
        ] {
            assert!(Policy::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn audiences_restrict_keys_and_tokens_only() {
        let policy = Policy::parse(r#"[{"prefix": "/int/", "auth": ["api_key", "jwt"], "audiences": ["integration"]}]"#).unwrap();
        assert_eq!(policy.rule_for("GET", "/int/x").unwrap().audiences.as_deref(), Some(&["integration".to_owned()][..]));
        for bad in [
            r#"[{"prefix": "/a/", "auth": ["api_key", "basic"], "audiences": ["integration"]}]"#,
            r#"[{"prefix": "/a/", "auth": ["api_key"], "audiences": []}]"#,
            r#"[{"prefix": "/a/", "auth": "public", "audiences": ["x"]}]"#,
        ] {
            assert!(Policy::parse(bad).is_err(), "{bad}");
        }
    }
}
