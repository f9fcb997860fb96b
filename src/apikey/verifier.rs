//! Verifying a presented API key, and revoking one.
//!
//! The order of checks is fixed: the key's format and checksum (no store read
//! for a mistyped or made-up key); the cache; the store record; the key against
//! the record's hash; only then the record's status and expiry, so that a
//! caller without the secret learns nothing about a key id's state; last, the
//! store's revocation authority, on every use (see [`KeyStore::revoked`]).
//! Any store failure refuses the request.

use super::{ApiKeyFormat, ApiKeyRecord, KeyStatus, KeyStore, VerifiedCache};
use crate::secret_hash::verify_secret;
use crate::{Error, Result};

/// Checks API keys against a store, remembering the ones it verified.
#[derive(Debug)]
pub struct ApiKeyVerifier<S> {
    format: ApiKeyFormat,
    store: S,
    cache: VerifiedCache<ApiKeyRecord>,
}

impl<S: KeyStore> ApiKeyVerifier<S> {
    pub fn new(format: ApiKeyFormat, store: S, cache: VerifiedCache<ApiKeyRecord>) -> Self {
        ApiKeyVerifier { format, store, cache }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    /// The record of the presented key `token` if it is valid at `now`.
    ///
    /// Errors: [`Error::CredentialMalformed`] (format or checksum),
    /// [`Error::CredentialRejected`] (unknown key or wrong secret),
    /// [`Error::CredentialRevoked`], [`Error::CredentialExpired`],
    /// [`Error::StoreUnavailable`], and [`Error::HashInvalid`] for a stored
    /// hash that is malformed.
    pub async fn verify(&self, token: &str, now: u64) -> Result<ApiKeyRecord> {
        let key_id = self.format.parse(token)?;
        if let Some(record) = self.cache.get(token.as_bytes(), now) {
            record.check_usable(now)?;
            return self.unless_revoked(record).await;
        }
        let record = self.store.get(key_id).await?.ok_or(Error::CredentialRejected)?;
        if record.key_id != key_id || !verify_secret(token.as_bytes(), &record.hash)? {
            return Err(Error::CredentialRejected);
        }
        record.check_usable(now)?;
        let record = self.unless_revoked(record).await?;
        self.cache.insert(token.as_bytes(), record.clone(), now);
        // Best effort: failing to note the use must not refuse a valid key.
        let _ = self.store.record_use(key_id, now).await;
        Ok(record)
    }

    /// Asks the store's authority; a key it calls revoked is forgotten here,
    /// so its holder costs no further call until the cache would have
    /// expired anyway, and never a hash.
    async fn unless_revoked(&self, record: ApiKeyRecord) -> Result<ApiKeyRecord> {
        match self.store.revoked(&record.key_id).await? {
            true => {
                self.cache.invalidate(|cached| cached.key_id == record.key_id);
                Err(Error::CredentialRevoked)
            }
            false => Ok(record),
        }
    }

    /// Marks `key_id` revoked (the store's authority first, then its record)
    /// and drops it from this isolate's cache. Revoking twice is no error.
    pub async fn revoke(&self, key_id: &str) -> Result<()> {
        self.cache.invalidate(|record| record.key_id == key_id);
        let mut record = self.store.get(key_id).await?.ok_or(Error::CredentialRejected)?;
        // The record is marked even when the authority cannot be reached,
        // and that failure still reported, so a retry finishes the job.
        let marked = self.store.mark_revoked(key_id).await;
        if record.status != KeyStatus::Revoked {
            record.status = KeyStatus::Revoked;
            self.store.put(&record).await?;
        }
        marked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apikey::test_support::block_on;
    use crate::apikey::{GeneratedApiKey, MemoryStore};
    use crate::secret_hash::{hash_secret, HashAlgorithm};
    use std::cell::Cell;

    const NOW: u64 = 1_700_000_000;

    /// A store that counts reads and can be made to fail, with a revocation
    /// authority (as the Worker's per-key Durable Objects are).
    #[derive(Default)]
    struct CountingStore {
        inner: MemoryStore,
        reads: Cell<u32>,
        down: Cell<bool>,
        revoked: std::cell::RefCell<Vec<String>>,
        asked: Cell<u32>,
    }

    impl KeyStore for CountingStore {
        async fn get(&self, key_id: &str) -> Result<Option<ApiKeyRecord>> {
            self.reads.set(self.reads.get() + 1);
            if self.down.get() {
                return Err(Error::StoreUnavailable("test store is down"));
            }
            self.inner.get(key_id).await
        }

        async fn put(&self, record: &ApiKeyRecord) -> Result<()> {
            self.inner.put(record).await
        }

        async fn record_use(&self, key_id: &str, now: u64) -> Result<()> {
            if self.down.get() {
                return Err(Error::StoreUnavailable("test store is down"));
            }
            self.inner.record_use(key_id, now).await
        }

        async fn revoked(&self, key_id: &str) -> Result<bool> {
            self.asked.set(self.asked.get() + 1);
            if self.down.get() {
                return Err(Error::StoreUnavailable("test store is down"));
            }
            Ok(self.revoked.borrow().iter().any(|k| k == key_id))
        }

        async fn mark_revoked(&self, key_id: &str) -> Result<()> {
            self.revoked.borrow_mut().push(key_id.to_owned());
            Ok(())
        }
    }

    fn setup() -> (ApiKeyVerifier<CountingStore>, GeneratedApiKey) {
        let format = ApiKeyFormat::default();
        let key = format.generate().unwrap();
        let verifier =
            ApiKeyVerifier::new(format, CountingStore::default(), VerifiedCache::default());
        block_on(verifier.store().put(&ApiKeyRecord::new(&key, "acme", NOW))).unwrap();
        (verifier, key)
    }

    fn code(result: Result<ApiKeyRecord>) -> &'static str {
        result.unwrap_err().code()
    }

    #[test]
    fn verifies_a_key_and_notes_its_use() {
        let (verifier, key) = setup();
        let record = block_on(verifier.verify(&key.token, NOW + 5)).unwrap();
        assert_eq!(
            (record.key_id.as_str(), record.integration_id.as_str()),
            (key.key_id.as_str(), "acme")
        );
        let stored = block_on(verifier.store().inner.get(&key.key_id)).unwrap().unwrap();
        assert_eq!(stored.last_used_at, Some(NOW + 5));
    }

    #[test]
    fn refuses_malformed_keys_without_a_store_read() {
        let (verifier, key) = setup();
        let reversed: String = key.key_id.chars().rev().collect();
        let mistyped = key.token.replacen(&key.key_id, &reversed, 1);
        assert_eq!(code(block_on(verifier.verify(&mistyped, NOW))), "ERR_CREDENTIAL_MALFORMED");
        assert_eq!(code(block_on(verifier.verify("Bearer x", NOW))), "ERR_CREDENTIAL_MALFORMED");
        assert_eq!(verifier.store().reads.get(), 0);
    }

    #[test]
    fn rejects_unknown_keys_and_wrong_secrets() {
        let (verifier, _) = setup();
        let stranger = ApiKeyFormat::default().generate().unwrap();
        assert_eq!(
            code(block_on(verifier.verify(&stranger.token, NOW))),
            "ERR_CREDENTIAL_REJECTED"
        );
        // Same key id, another secret: the format is valid, the hash is not.
        let mut record = ApiKeyRecord::new(&stranger, "acme", NOW);
        record.hash = hash_secret(b"something else", HashAlgorithm::HmacSha256).unwrap();
        block_on(verifier.store().put(&record)).unwrap();
        assert_eq!(
            code(block_on(verifier.verify(&stranger.token, NOW))),
            "ERR_CREDENTIAL_REJECTED"
        );
    }

    #[test]
    fn refuses_revoked_and_expired_keys() {
        let (verifier, key) = setup();
        let mut record = block_on(verifier.store().get(&key.key_id)).unwrap().unwrap();
        record.expires_at = Some(NOW + 10);
        block_on(verifier.store().put(&record)).unwrap();
        assert!(block_on(verifier.verify(&key.token, NOW + 9)).is_ok());
        // Expiry holds even for a cached key.
        assert_eq!(code(block_on(verifier.verify(&key.token, NOW + 10))), "ERR_CREDENTIAL_EXPIRED");
        block_on(verifier.revoke(&key.key_id)).unwrap();
        assert_eq!(code(block_on(verifier.verify(&key.token, NOW))), "ERR_CREDENTIAL_REVOKED");
    }

    #[test]
    fn caches_verified_keys_until_revoked_here() {
        let (verifier, key) = setup();
        block_on(verifier.verify(&key.token, NOW)).unwrap();
        block_on(verifier.verify(&key.token, NOW + 1)).unwrap();
        assert_eq!(verifier.store().reads.get(), 1);
        block_on(verifier.revoke(&key.key_id)).unwrap();
        assert_eq!(code(block_on(verifier.verify(&key.token, NOW + 2))), "ERR_CREDENTIAL_REVOKED");
        assert_eq!(verifier.store().reads.get(), 3);
    }

    #[test]
    fn sees_revocation_elsewhere_after_the_ttl() {
        let (verifier, key) = setup();
        block_on(verifier.verify(&key.token, NOW)).unwrap();
        let mut record = block_on(verifier.store().get(&key.key_id)).unwrap().unwrap();
        record.status = KeyStatus::Revoked;
        block_on(verifier.store().put(&record)).unwrap();
        assert!(block_on(verifier.verify(&key.token, NOW + 59)).is_ok());
        assert_eq!(code(block_on(verifier.verify(&key.token, NOW + 60))), "ERR_CREDENTIAL_REVOKED");
    }

    #[test]
    fn asks_the_authority_on_every_use_even_when_remembered() {
        let (verifier, key) = setup();
        block_on(verifier.verify(&key.token, NOW)).unwrap();
        // Revoked elsewhere: the authority knows, this isolate's cache and the record do not.
        verifier.store().revoked.borrow_mut().push(key.key_id.clone());
        assert_eq!(code(block_on(verifier.verify(&key.token, NOW + 1))), "ERR_CREDENTIAL_REVOKED");
        assert_eq!((verifier.store().reads.get(), verifier.store().asked.get()), (1, 2));
    }

    #[test]
    fn asks_the_authority_only_for_the_right_secret() {
        let (verifier, key) = setup();
        let wrong = format!("{}x", &key.token[..key.token.len() - 1]);
        let _ = block_on(verifier.verify(&wrong, NOW));
        assert_eq!(verifier.store().asked.get(), 0);
    }

    #[test]
    fn fails_closed_when_the_store_is_down() {
        let (verifier, key) = setup();
        verifier.store().down.set(true);
        assert_eq!(code(block_on(verifier.verify(&key.token, NOW))), "ERR_STORE_UNAVAILABLE");
        verifier.store().down.set(false);
        block_on(verifier.verify(&key.token, NOW)).unwrap();
    }

    #[test]
    fn reports_a_malformed_stored_hash() {
        let (verifier, key) = setup();
        let mut record = block_on(verifier.store().get(&key.key_id)).unwrap().unwrap();
        record.hash = "$pbkdf2-sha256$i=99999999$c2FsdHNhbHQ$c2FsdHNhbHRzYWx0c2FsdA".into();
        block_on(verifier.store().put(&record)).unwrap();
        assert_eq!(code(block_on(verifier.verify(&key.token, NOW))), "ERR_HASH_INVALID");
    }
}
