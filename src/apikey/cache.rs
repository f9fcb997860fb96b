//! The per-isolate cache of verified credentials.
//!
//! A credential checked against its hash (and, for API keys, the store) is
//! remembered for a while, so PBKDF2 and the store read are paid once, not per
//! request. Guarantees:
//! - entries are keyed by SHA-256 of the presented secret: the secret itself is
//!   never kept;
//! - an entry lives at most `ttl_secs`, so a change made elsewhere (a key
//!   revoked through another isolate) is seen within that time;
//! - at most `max_entries` are kept: when full, expired entries go first, then
//!   the oldest;
//! - [`VerifiedCache::invalidate`] drops entries at once, for revocation here.
//!
//! Key the cache with everything that was verified: for Basic auth the whole
//! `user:password`, not the password alone.

use ring::digest;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The default bound on entries.
pub const DEFAULT_CACHE_ENTRIES: usize = 1024;
/// The default time to live: a minute.
pub const DEFAULT_CACHE_TTL_SECS: u64 = 60;

/// Values (such as API key records) remembered under the hash of a verified secret.
#[derive(Debug)]
pub struct VerifiedCache<V> {
    entries: Mutex<HashMap<Vec<u8>, Entry<V>>>,
    max_entries: usize,
    ttl_secs: u64,
}

#[derive(Debug)]
struct Entry<V> {
    value: V,
    cached_at: u64,
}

impl<V: Clone> Default for VerifiedCache<V> {
    fn default() -> Self {
        Self::new(DEFAULT_CACHE_ENTRIES, DEFAULT_CACHE_TTL_SECS)
    }
}

impl<V: Clone> VerifiedCache<V> {
    /// A cache of at most `max_entries` (0 disables it) living `ttl_secs` each.
    pub fn new(max_entries: usize, ttl_secs: u64) -> Self {
        VerifiedCache { entries: Mutex::new(HashMap::new()), max_entries, ttl_secs }
    }

    /// The value cached for `secret`, if it is still fresh at `now`.
    pub fn get(&self, secret: &[u8], now: u64) -> Option<V> {
        let mut entries = self.entries();
        let key = key(secret);
        match entries.get(&key) {
            Some(entry) if self.fresh(entry, now) => Some(entry.value.clone()),
            Some(_) => {
                entries.remove(&key);
                None
            }
            None => None,
        }
    }

    /// Remembers `value` for `secret` from `now` on, evicting if full.
    pub fn insert(&self, secret: &[u8], value: V, now: u64) {
        if self.max_entries == 0 {
            return;
        }
        let mut entries = self.entries();
        let key = key(secret);
        if !entries.contains_key(&key) && entries.len() >= self.max_entries {
            entries.retain(|_, entry| self.fresh(entry, now));
            let oldest =
                entries.iter().min_by_key(|(_, entry)| entry.cached_at).map(|(k, _)| k.clone());
            if let Some(oldest) = oldest.filter(|_| entries.len() >= self.max_entries) {
                entries.remove(&oldest);
            }
        }
        entries.insert(key, Entry { value, cached_at: now });
    }

    /// Drops every entry whose value is `stale`.
    pub fn invalidate(&self, mut stale: impl FnMut(&V) -> bool) {
        self.entries().retain(|_, entry| !stale(&entry.value));
    }

    /// How many entries are held, fresh or not.
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn fresh(&self, entry: &Entry<V>, now: u64) -> bool {
        now.saturating_sub(entry.cached_at) < self.ttl_secs
    }

    /// The map. A panic elsewhere cannot leave it inconsistent (every change is
    /// one map operation), so a poisoned lock is taken over: invalidation must
    /// always work.
    fn entries(&self) -> MutexGuard<'_, HashMap<Vec<u8>, Entry<V>>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn key(secret: &[u8]) -> Vec<u8> {
    digest::digest(&digest::SHA256, secret).as_ref().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_fresh_entries_and_drops_stale_ones() {
        let cache = VerifiedCache::new(4, 60);
        cache.insert(b"secret", 7, 1000);
        assert_eq!(cache.get(b"secret", 1000), Some(7));
        assert_eq!(cache.get(b"secret", 1059), Some(7));
        assert_eq!(cache.get(b"other", 1000), None);
        assert_eq!(cache.get(b"secret", 1060), None);
        assert!(cache.is_empty());
    }

    #[test]
    fn never_holds_the_secret() {
        let cache = VerifiedCache::new(4, 60);
        cache.insert(b"hunter2-secret", (), 0);
        let entries = cache.entries();
        assert!(entries.keys().all(|k| k.len() == 32 && k.as_slice() != b"hunter2-secret"));
    }

    #[test]
    fn stays_bounded_evicting_the_oldest() {
        let cache = VerifiedCache::new(2, 60);
        cache.insert(b"a", 1, 0);
        cache.insert(b"b", 2, 30);
        cache.insert(b"c", 3, 40);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get(b"a", 40), None);
        assert_eq!((cache.get(b"b", 40), cache.get(b"c", 40)), (Some(2), Some(3)));
        cache.insert(b"c", 5, 41);
        assert_eq!((cache.len(), cache.get(b"c", 41)), (2, Some(5)));
    }

    #[test]
    fn evicts_every_expired_entry_before_the_oldest_fresh_one() {
        let cache = VerifiedCache::new(3, 60);
        cache.insert(b"a", 1, 0);
        cache.insert(b"b", 2, 10);
        cache.insert(b"c", 3, 100);
        cache.insert(b"d", 4, 100);
        assert_eq!(cache.len(), 2);
        assert_eq!((cache.get(b"c", 100), cache.get(b"d", 100)), (Some(3), Some(4)));
    }

    #[test]
    fn invalidates_on_demand_and_can_be_disabled() {
        let cache = VerifiedCache::new(8, 60);
        cache.insert(b"a", "key-1", 0);
        cache.insert(b"b", "key-2", 0);
        cache.invalidate(|id| *id == "key-1");
        assert_eq!((cache.get(b"a", 0), cache.get(b"b", 0)), (None, Some("key-2")));
        let off = VerifiedCache::new(0, 60);
        off.insert(b"a", 1, 0);
        assert_eq!(off.get(b"a", 0), None);
    }
}
