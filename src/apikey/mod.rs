//! API keys: their format, their stored records, the store, and their verification.
//!
//! A key is made once ([`ApiKeyFormat::generate`]): the client gets the key,
//! the store gets an [`ApiKeyRecord`] holding only its hash. A presented key is
//! checked by [`ApiKeyVerifier::verify`]: format and checksum first, then the
//! per-isolate [`VerifiedCache`], then one store read and a constant-time hash
//! check, then revocation and expiry. Time is always passed in as seconds since
//! the Unix epoch.

mod cache;
mod format;
mod record;
mod request;
mod store;
mod verifier;

pub use cache::{VerifiedCache, DEFAULT_CACHE_ENTRIES, DEFAULT_CACHE_TTL_SECS};
pub use format::{ApiKeyFormat, GeneratedApiKey, DEFAULT_API_KEY_PREFIX};
pub use record::{ApiKeyRecord, KeyStatus};
pub use request::KeyRequest;
pub use store::{KeyStore, MemoryStore};
pub use verifier::ApiKeyVerifier;

#[cfg(test)]
pub(crate) mod test_support {
    use super::{ApiKeyRecord, GeneratedApiKey};
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    /// Runs a future that never waits, as the in-memory store's do.
    pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
        match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(output) => output,
            Poll::Pending => panic!("test futures must not wait"),
        }
    }

    pub(crate) fn record(key_id: &str) -> ApiKeyRecord {
        let key =
            GeneratedApiKey { token: String::new(), key_id: key_id.into(), hash: String::new() };
        ApiKeyRecord::new(&key, "acme", 0)
    }
}
