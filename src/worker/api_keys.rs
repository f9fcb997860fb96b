//! The Worker's API-key store: records in KV (`apikey:<key id>`), and, unless
//! `EXACT_REVOCATION=false`, each key's Durable Object (`KEY_STATUS`) as the
//! authority on revocation (one subrequest per use of a key, so a revoked key
//! is refused on the next request in every location).

use super::key_status_object::KeyCall;
use super::kv::{api_key_name, Kv};
use super::objects;
use crate::apikey::{ApiKeyRecord, KeyStore};
use crate::{Error, Result};
use serde_json::Value;
use worker::ObjectNamespace;

/// The Durable Object binding of the per-key objects.
pub(crate) const BINDING: &str = "KEY_STATUS";

pub(crate) struct ApiKeyStore {
    pub kv: Kv,
    /// The per-key objects; `None` (`EXACT_REVOCATION=false`): KV alone decides.
    pub status: Option<ObjectNamespace>,
}

impl ApiKeyStore {
    async fn ask(&self, namespace: &ObjectNamespace, key_id: &str, call: KeyCall, status: u16) -> Result<objects::Answer> {
        objects::call(namespace, &format!("key:{key_id}"), &call).await?.expecting(status)
    }
}

impl KeyStore for ApiKeyStore {
    async fn get(&self, key_id: &str) -> Result<Option<ApiKeyRecord>> {
        self.kv.get_json(&api_key_name(key_id)).await
    }

    async fn put(&self, record: &ApiKeyRecord) -> Result<()> {
        self.kv.put_json(&api_key_name(&record.key_id), record).await
    }

    /// Not written: KV takes about one write a second per key, so noting
    /// every use would throttle busy keys. Last-used is best effort and left
    /// to a batched writer later.
    async fn record_use(&self, _key_id: &str, _now: u64) -> Result<()> {
        Ok(())
    }

    async fn revoked(&self, key_id: &str) -> Result<bool> {
        let Some(namespace) = &self.status else { return Ok(false) };
        let answer = self.ask(namespace, key_id, KeyCall::Status, 200).await?;
        answer.body.get("revoked").and_then(Value::as_bool).ok_or(Error::StoreUnavailable("a key's object did not say whether it is revoked"))
    }

    async fn mark_revoked(&self, key_id: &str) -> Result<()> {
        match &self.status {
            Some(namespace) => self.ask(namespace, key_id, KeyCall::Revoke, 204).await.map(drop),
            None => Ok(()),
        }
    }
}
