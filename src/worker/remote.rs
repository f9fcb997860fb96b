//! Remote JWK Sets for the gateway's `remote_jwks` providers.
//!
//! Each URL's set is cached per isolate for its `Cache-Control: max-age`,
//! kept between [`MIN_AGE`] and [`MAX_AGE`]. When a refresh fails, the last
//! good copy serves for up to [`STALE_IF_ERROR`] more (stale-if-error); with
//! no usable copy the request fails closed (`StoreUnavailable`, a 503). A set
//! is never fetched from a token's header, only from configuration. Providers
//! share a URL's set, each with a verifier of its own over it.

use crate::{Error, KeySet, Result};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use worker::{console_log, Fetch, Url};

const MIN_AGE: f64 = 60.0;
const MAX_AGE: f64 = 3600.0;
const STALE_IF_ERROR: f64 = 3600.0;

struct Cached {
    fetched: f64,
    max_age: f64,
    keys: Rc<KeySet>,
}

/// The remote sets this isolate has fetched, by URL.
#[derive(Default)]
pub(crate) struct RemoteSets(RefCell<HashMap<String, Cached>>);

impl RemoteSets {
    /// The set at `url`, fresh or (on a failed refresh) stale.
    pub(crate) async fn key_set(&self, url: &str, now: f64) -> Result<Rc<KeySet>> {
        let cached = self.0.borrow().get(url).map(|c| (c.fetched, c.max_age, Rc::clone(&c.keys)));
        if let Some((fetched, max_age, keys)) = &cached {
            if now - fetched < *max_age {
                return Ok(Rc::clone(keys));
            }
        }
        match fetch(url).await {
            Ok((keys, max_age)) => {
                let keys = Rc::new(keys);
                let entry = Cached { fetched: now, max_age, keys: Rc::clone(&keys) };
                self.0.borrow_mut().insert(url.to_owned(), entry);
                Ok(keys)
            }
            Err(why) => match cached {
                Some((fetched, max_age, keys)) if now - fetched < max_age + STALE_IF_ERROR => Ok(keys),
                _ => {
                    console_log!("edgeauth: remote JWKS {url}: {why}");
                    Err(Error::StoreUnavailable("a remote JWK Set cannot be fetched"))
                }
            },
        }
    }
}

async fn fetch(url: &str) -> std::result::Result<(KeySet, f64), String> {
    let parsed = Url::parse(url).map_err(|e| e.to_string())?;
    let mut response = Fetch::Url(parsed).send().await.map_err(|e| e.to_string())?;
    if response.status_code() != 200 {
        return Err(format!("status {}", response.status_code()));
    }
    let max_age = response.headers().get("cache-control").ok().flatten().as_deref().and_then(max_age).unwrap_or(MIN_AGE);
    let body = response.text().await.map_err(|e| e.to_string())?;
    let keys = KeySet::from_jwks_str(&body).map_err(|e| e.to_string())?;
    Ok((keys, max_age.clamp(MIN_AGE, MAX_AGE)))
}

fn max_age(cache_control: &str) -> Option<f64> {
    cache_control
        .split(',')
        .filter_map(|directive| directive.trim().strip_prefix("max-age="))
        .find_map(|seconds| seconds.trim().parse::<u32>().ok())
        .map(f64::from)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_max_age() {
        assert_eq!(super::max_age("public, max-age=300"), Some(300.0));
        assert_eq!(super::max_age("no-store"), None);
        assert_eq!(super::max_age("max-age=x"), None);
    }
}
