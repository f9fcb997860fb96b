//! The stored record of an API key.
//!
//! Records are JSON (camelCase field names) so that the Worker can keep them in
//! Workers KV as they are. Times are seconds since the Unix epoch, always passed
//! in by the caller. A record holds the key's hash, never the key.

use super::GeneratedApiKey;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Whether a key may still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyStatus {
    Active,
    Revoked,
}

/// What the store keeps about one API key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyRecord {
    /// The key id, as in the key itself.
    pub key_id: String,
    /// The integration (client, tenant) the key belongs to.
    pub integration_id: String,
    /// The self-describing hash of the whole key (see `secret_hash`).
    pub hash: String,
    /// The service tier, for rate limits and the like.
    pub tier: u32,
    /// The scopes the key grants.
    #[serde(default)]
    pub scopes: Vec<String>,
    pub status: KeyStatus,
    /// When the key was made.
    pub created_at: u64,
    /// The audiences the key may be exchanged for, and that gateway rules
    /// naming `audiences` see; `None` (a key made before keys had them): all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audiences: Option<Vec<String>>,
    /// When the key stops working, if ever: it is refused from this second on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When the key was last used, best effort: the verifier writes it only
    /// when it checks a key against the store, not on every cache hit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<u64>,
}

impl ApiKeyRecord {
    /// An active record for a newly made key, in tier 0 with no scopes.
    pub fn new(key: &GeneratedApiKey, integration_id: &str, created_at: u64) -> Self {
        ApiKeyRecord {
            key_id: key.key_id.clone(),
            integration_id: integration_id.to_owned(),
            hash: key.hash.clone(),
            tier: 0,
            scopes: Vec::new(),
            status: KeyStatus::Active,
            created_at,
            audiences: None,
            expires_at: None,
            description: None,
            last_used_at: None,
        }
    }

    /// Whether the key was issued for `audience`.
    pub fn allows_audience(&self, audience: &str) -> bool {
        self.audiences.as_ref().is_none_or(|audiences| audiences.iter().any(|allowed| allowed == audience))
    }

    /// Refuses a revoked key, or one expired at `now`.
    pub fn check_usable(&self, now: u64) -> Result<()> {
        if self.status == KeyStatus::Revoked {
            return Err(Error::CredentialRevoked);
        }
        if self.expires_at.is_some_and(|expiry| now >= expiry) {
            return Err(Error::CredentialExpired);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apikey::test_support;

    fn record() -> ApiKeyRecord {
        test_support::record("kid")
    }

    #[test]
    fn serialises_as_camel_case_json() {
        let mut r = record();
        r.expires_at = Some(1_800_000_000);
        r.scopes = vec!["read".into()];
        let json = serde_json::to_value(&r).unwrap();
        let expected = serde_json::json!({
            "keyId": "kid", "integrationId": "acme", "hash": "", "tier": 0,
            "scopes": ["read"], "status": "active", "createdAt": 0,
            "expiresAt": 1_800_000_000u64
        });
        assert_eq!(json, expected);
        assert_eq!(serde_json::from_value::<ApiKeyRecord>(json).unwrap(), r);
    }

    #[test]
    fn reads_minimal_records_and_refuses_unknown_statuses() {
        let minimal = r#"{"keyId":"k","integrationId":"i","hash":"h","tier":2,"status":"revoked","createdAt":1}"#;
        let r: ApiKeyRecord = serde_json::from_str(minimal).unwrap();
        assert_eq!((r.tier, r.status, r.scopes.len()), (2, KeyStatus::Revoked, 0));
        let paused = minimal.replace("revoked", "paused");
        assert!(serde_json::from_str::<ApiKeyRecord>(&paused).is_err());
    }

    #[test]
    fn refuses_revoked_and_expired_keys() {
        let mut r = record();
        assert!(r.check_usable(u64::MAX).is_ok());
        r.expires_at = Some(100);
        assert!(r.check_usable(99).is_ok());
        assert_eq!(r.check_usable(100), Err(Error::CredentialExpired));
        r.status = KeyStatus::Revoked;
        assert_eq!(r.check_usable(0), Err(Error::CredentialRevoked));
    }
}
