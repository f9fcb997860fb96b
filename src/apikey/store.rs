//! Where API key records live: the store interface and an in-memory store.
//!
//! The interface is asynchronous so that the Worker can implement it over
//! Workers KV; its futures need not be `Send`, as a Worker's are not. A store
//! that fails reports [`Error::StoreUnavailable`], and callers then refuse the
//! request (fail closed). The in-memory store serves tests and browsers.

use super::ApiKeyRecord;
use crate::{Error, Result};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Mutex, MutexGuard};

/// A store of API key records, keyed by key id.
pub trait KeyStore {
    /// The record of `key_id`, or `None` if there is none.
    fn get(&self, key_id: &str) -> impl Future<Output = Result<Option<ApiKeyRecord>>>;

    /// Creates or replaces the record under its key id.
    fn put(&self, record: &ApiKeyRecord) -> impl Future<Output = Result<()>>;

    /// Notes that `key_id` was used at `now`. Best effort: the verifier ignores
    /// its failure, and a store may write coarsely (KV limits writes per key).
    fn record_use(&self, key_id: &str, now: u64) -> impl Future<Output = Result<()>>;

    /// Whether `key_id` was revoked, by an authority more exact than the
    /// records (which an isolate remembers, and KV spreads in up to a
    /// minute). The verifier asks on every use of a key, remembered or not,
    /// so a store with such an authority makes revocation count from the
    /// next request. By default the records alone decide.
    fn revoked(&self, _key_id: &str) -> impl Future<Output = Result<bool>> {
        async { Ok(false) }
    }

    /// Tells that authority that `key_id` is revoked, before the record says so.
    fn mark_revoked(&self, _key_id: &str) -> impl Future<Output = Result<()>> {
        async { Ok(()) }
    }
}

/// Records in memory, for tests and browsers.
#[derive(Debug, Default)]
pub struct MemoryStore {
    records: Mutex<HashMap<String, ApiKeyRecord>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// The map, unless a panic while it was held left it poisoned: then the store fails closed.
    fn records(&self) -> Result<MutexGuard<'_, HashMap<String, ApiKeyRecord>>> {
        self.records.lock().map_err(|_| Error::StoreUnavailable("in-memory store is poisoned"))
    }
}

impl KeyStore for MemoryStore {
    async fn get(&self, key_id: &str) -> Result<Option<ApiKeyRecord>> {
        Ok(self.records()?.get(key_id).cloned())
    }

    async fn put(&self, record: &ApiKeyRecord) -> Result<()> {
        self.records()?.insert(record.key_id.clone(), record.clone());
        Ok(())
    }

    async fn record_use(&self, key_id: &str, now: u64) -> Result<()> {
        if let Some(record) = self.records()?.get_mut(key_id) {
            record.last_used_at = Some(now);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apikey::test_support::{block_on, record};

    #[test]
    fn puts_gets_and_records_use() {
        let store = MemoryStore::new();
        assert_eq!(block_on(store.get("k1")).unwrap(), None);
        let r = record("k1");
        block_on(store.put(&r)).unwrap();
        assert_eq!(block_on(store.get("k1")).unwrap(), Some(r));
        block_on(store.record_use("k1", 42)).unwrap();
        block_on(store.record_use("absent", 42)).unwrap();
        assert_eq!(block_on(store.get("k1")).unwrap().unwrap().last_used_at, Some(42));
    }

    #[test]
    fn fails_closed_when_poisoned() {
        let store = std::sync::Arc::new(MemoryStore::new());
        let clone = store.clone();
        let _ = std::thread::spawn(move || {
            let _guard = clone.records.lock().unwrap();
            panic!("poison the lock");
        })
        .join();
        let err = block_on(store.get("k1")).unwrap_err();
        assert_eq!(err.code(), "ERR_STORE_UNAVAILABLE");
    }
}
