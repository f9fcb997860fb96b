//! Static key sets (`GATEWAY_KEYS`): shared keys stored as hashes, each set
//! read from one header, as Moose's API keys and Harmony's `api-key`
//! middleware are configured.
//!
//! `{"ingest": {"header": "Authorization", "hashes_env": "MOOSE_INGEST_API_KEY"},
//!   "partners": {"header": "X-API-Key", "hashes": ["<hash>", "..."]}}`.
//! `hashes_env` names a setting holding one hash or several separated by
//! commas. Every stored-hash format of [`crate::secret_hash`] is accepted,
//! and each is checked now, not at the first request. With `Authorization`
//! the key comes as `Bearer <key>`.

use crate::secret_hash::check_stored_hash;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One named set of keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticKeySet {
    pub name: String,
    /// The header the key comes in, lower case.
    pub header: String,
    pub hashes: Vec<String>,
}

impl StaticKeySet {
    /// Whether the key comes as `Authorization: Bearer <key>`.
    pub fn in_authorization(&self) -> bool {
        self.header == "authorization"
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    header: String,
    #[serde(default, deserialize_with = "crate::json::not_null")]
    hashes: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::json::not_null")]
    hashes_env: Option<String>,
}

/// The sets of `json` (absent: none). `lookup` reads what `hashes_env` names.
pub fn parse(json: Option<&str>, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Vec<StaticKeySet>, String> {
    let entries: BTreeMap<String, Entry> = match json {
        None => return Ok(Vec::new()),
        Some(json) => serde_json::from_str(json).map_err(|e| format!("is not a JSON object of key sets: {e}"))?,
    };
    entries.into_iter().map(|(name, entry)| build(name, entry, lookup)).collect()
}

fn build(name: String, entry: Entry, lookup: &dyn Fn(&str) -> Option<String>) -> Result<StaticKeySet, String> {
    let name_ok = !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if !name_ok {
        return Err("has a key set name that is not 1 to 64 letters, digits, '-', '_' or '.'".into());
    }
    if !is_header_name(&entry.header) {
        return Err(format!("has a header for key set \"{name}\" that is not an HTTP header name"));
    }
    let hashes = match (entry.hashes, entry.hashes_env) {
        (Some(hashes), None) => hashes,
        (None, Some(env)) => {
            let text = lookup(&env).ok_or_else(|| format!("names {env} for key set \"{name}\", and it is not set"))?;
            text.split(',').map(str::trim).filter(|h| !h.is_empty()).map(str::to_owned).collect()
        }
        _ => return Err(format!("needs exactly one of hashes and hashes_env for key set \"{name}\"")),
    };
    if hashes.is_empty() {
        return Err(format!("has no hash for key set \"{name}\""));
    }
    for hash in &hashes {
        check_stored_hash(hash).map_err(|e| format!("has an unusable hash for key set \"{name}\": {e}"))?;
    }
    Ok(StaticKeySet { name, header: entry.header.to_ascii_lowercase(), hashes })
}

fn is_header_name(name: &str) -> bool {
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    !name.is_empty() && name.len() <= 64 && name.bytes().all(tchar)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOOSE_HASH: &str = "0123456789abcdef0123456789abcdef01234567";

    fn lookup(name: &str) -> Option<String> {
        (name == "MOOSE_INGEST_API_KEY").then(|| format!("{MOOSE_HASH}, {MOOSE_HASH}"))
    }

    #[test]
    fn reads_sets_from_hashes_or_a_named_setting() {
        let json = format!(r#"{{"ingest": {{"header": "Authorization", "hashes_env": "MOOSE_INGEST_API_KEY"}}, "partners": {{"header": "X-API-Key", "hashes": ["{MOOSE_HASH}"]}}}}"#);
        let sets = parse(Some(&json), &lookup).unwrap();
        assert_eq!(sets.len(), 2);
        assert!(sets[0].in_authorization() && sets[0].hashes.len() == 2);
        assert_eq!((sets[1].name.as_str(), sets[1].header.as_str()), ("partners", "x-api-key"));
        assert!(parse(None, &lookup).unwrap().is_empty());
    }

    #[test]
    fn refuses_what_could_not_work() {
        for bad in [
            r#"{"a": {"header": "X-Key"}}"#.to_owned(),
            r#"{"a": {"header": "X-Key", "hashes": []}}"#.to_owned(),
            r#"{"a": {"header": "X-Key", "hashes": ["plaintext"]}}"#.to_owned(),
            r#"{"a": {"header": "X-Key", "hashes_env": "UNSET"}}"#.to_owned(),
            format!(r#"{{"a": {{"header": "X Key", "hashes": ["{MOOSE_HASH}"]}}}}"#),
            format!(r#"{{"a b": {{"header": "X-Key", "hashes": ["{MOOSE_HASH}"]}}}}"#),
            format!(r#"{{"a": {{"header": "X-Key", "hashes": ["{MOOSE_HASH}"], "extra": 1}}}}"#),
            "[]".to_owned(),
            r#"{"a": {"header": "X-Key", "hashes": null, "hashes_env": "MOOSE_INGEST_API_KEY"}}"#.to_owned(),
        ] {
            assert!(parse(Some(&bad), &lookup).is_err(), "{bad}");
        }
    }
}
