//! The Worker's API-key store: records in KV (`apikey:<key id>`), and, unless
//! `EXACT_REVOCATION=false`, each key's Durable Object (`KEY_STATUS`) as the
//! authority on revocation (one subrequest per use of a key, so a revoked key
//! is refused on the next request in every location).

use super::key_status_object::KeyCall;
use super::kv::{api_key_name, api_key_used_name, Kv};
use super::objects;
use crate::apikey::{ApiKeyRecord, KeyStore};
use crate::{Error, Result};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use worker::ObjectNamespace;

/// The Durable Object binding of the per-key objects.
pub(crate) const BINDING: &str = "KEY_STATUS";

/// How often a key's last use is written, at most, per isolate.
const USE_INTERVAL_SECONDS: u64 = 60;
/// Keys whose last write this isolate remembers; forgotten all at once past it.
const MAX_NOTED: usize = 4096;

pub(crate) struct ApiKeyStore {
    pub kv: Kv,
    /// The per-key objects; `None` (`EXACT_REVOCATION=false`): KV alone decides.
    pub status: Option<ObjectNamespace>,
    /// When this isolate last queued each key's use.
    noted: RefCell<HashMap<String, u64>>,
    /// Uses to write after the response.
    uses: RefCell<Vec<(String, u64)>>,
}

impl ApiKeyStore {
    pub(crate) fn new(kv: Kv, status: Option<ObjectNamespace>) -> ApiKeyStore {
        ApiKeyStore { kv, status, noted: RefCell::default(), uses: RefCell::default() }
    }

    /// The uses queued since the last call, to write with [`ApiKeyStore::write_uses`].
    pub(crate) fn take_uses(&self) -> Vec<(String, u64)> {
        std::mem::take(&mut self.uses.borrow_mut())
    }

    /// Best effort: a use that fails to be noted refuses nothing.
    pub(crate) async fn write_uses(kv: Kv, uses: Vec<(String, u64)>) {
        for (key_id, at) in uses {
            let _ = kv.put_text(&api_key_used_name(&key_id), at.to_string()).await;
        }
    }

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

    /// Queued, at most once a minute per key per isolate, for the fetch
    /// handler to write after the response ([`ApiKeyStore::take_uses`]): KV
    /// takes about one write a second per key, and a write must not delay
    /// the answer.
    async fn record_use(&self, key_id: &str, now: u64) -> Result<()> {
        let mut written = self.noted.borrow_mut();
        if written.get(key_id).is_some_and(|at| now < at + USE_INTERVAL_SECONDS) {
            return Ok(());
        }
        if written.len() >= MAX_NOTED {
            written.clear();
        }
        written.insert(key_id.to_owned(), now);
        self.uses.borrow_mut().push((key_id.to_owned(), now));
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
