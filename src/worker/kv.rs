//! Workers KV: the store behind API keys, integrations and signing keys.
//!
//! Every KV failure becomes `Error::StoreUnavailable`, which the Worker answers
//! with 503: a store it cannot read never lets a request through. Keys:
//! `apikey:<key id>`, `apikey-used:<key id>`, `integration:<integration id>`, `signing:index`,
//! `signing:key:<kid>` (sealed), `secret:<name>` (a third-party secret,
//! sealed), `remote-jwks:<url or oidc:issuer>` (a remote
//! key set shared across isolates, expiring with its last use).

use crate::{Error, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::kv::KvStore;

pub(crate) const BINDING: &str = "EDGEAUTH_KV";

/// The Worker's KV namespace.
#[derive(Clone)]
pub(crate) struct Kv(pub KvStore);

impl Kv {
    pub(crate) async fn get_text(&self, key: &str) -> Result<Option<String>> {
        self.0.get(key).text().await.map_err(|_| Error::StoreUnavailable("KV read failed"))
    }

    pub(crate) async fn get_json<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        match self.get_text(key).await? {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text).map(Some).map_err(|_| Error::StoreUnavailable("a KV value is malformed")),
        }
    }

    pub(crate) async fn put_text(&self, key: &str, value: String) -> Result<()> {
        let failed = |_| Error::StoreUnavailable("KV write failed");
        self.0.put(key, value).map_err(failed)?.execute().await.map_err(failed)
    }

    /// Writes a value that KV drops after `ttl_seconds` (at least 60, KV's minimum).
    pub(crate) async fn put_text_expiring(&self, key: &str, value: String, ttl_seconds: u64) -> Result<()> {
        let failed = |_| Error::StoreUnavailable("KV write failed");
        self.0.put(key, value).map_err(failed)?.expiration_ttl(ttl_seconds.max(60)).execute().await.map_err(failed)
    }

    pub(crate) async fn put_json<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let text = serde_json::to_string(value).map_err(|_| Error::StoreUnavailable("a KV value cannot be written"))?;
        self.put_text(key, text).await
    }

    pub(crate) async fn delete(&self, key: &str) -> Result<()> {
        self.0.delete(key).await.map_err(|_| Error::StoreUnavailable("KV delete failed"))
    }

    /// Every key name under `prefix` (following the list cursor).
    pub(crate) async fn list(&self, prefix: &str) -> Result<Vec<String>> {
        let mut names = Vec::new();
        let mut cursor = None;
        loop {
            let mut request = self.0.list().prefix(prefix.to_owned());
            if let Some(cursor) = cursor.take() {
                request = request.cursor(cursor);
            }
            let page = request.execute().await.map_err(|_| Error::StoreUnavailable("KV list failed"))?;
            names.extend(page.keys.into_iter().map(|key| key.name));
            match page.cursor {
                Some(next) if !page.list_complete => cursor = Some(next),
                _ => return Ok(names),
            }
        }
    }
}

pub(crate) fn api_key_name(key_id: &str) -> String {
    format!("apikey:{key_id}")
}

/// When a key was last used (seconds since the epoch), apart from its record
/// so that noting a use never races a revocation's write of the record.
pub(crate) fn api_key_used_name(key_id: &str) -> String {
    format!("apikey-used:{key_id}")
}
