//! Remote JWK Sets for the gateway's `remote_jwks` providers.
//!
//! Each URL's set is cached per isolate for its `Cache-Control: max-age`,
//! kept between [`MIN_AGE`] and [`MAX_AGE`]. When a refresh fails, the last
//! good copy serves for up to [`STALE_IF_ERROR`] more (stale-if-error); with
//! no usable copy the answer is 503. A set is never fetched from a token's
//! header, only from configuration.

use super::http::Failure;
use crate::clock;
use crate::jwt::{Validation, Verifier, DEFAULT_CAPACITY};
use crate::KeySet;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use worker::{Fetch, Url};

const MIN_AGE: f64 = 60.0;
const MAX_AGE: f64 = 3600.0;
const STALE_IF_ERROR: f64 = 3600.0;

struct Cached {
    fetched: f64,
    max_age: f64,
    verifier: Rc<Verifier<KeySet>>,
}

thread_local! {
    static SETS: RefCell<HashMap<String, Cached>> = RefCell::new(HashMap::new());
}

/// A verifier over the set at `url`, fresh or (on a failed refresh) stale.
pub(crate) async fn verifier(url: &str, validation: &Validation) -> Result<Rc<Verifier<KeySet>>, Failure> {
    let now = clock::now();
    let cached = SETS.with(|sets| sets.borrow().get(url).map(|c| (c.fetched, c.max_age, Rc::clone(&c.verifier))));
    if let Some((fetched, max_age, verifier)) = &cached {
        if now - fetched < *max_age {
            return Ok(Rc::clone(verifier));
        }
    }
    match fetch(url).await {
        Ok((keys, max_age)) => {
            let verifier = Rc::new(Verifier::new(keys, validation.clone(), DEFAULT_CAPACITY));
            let entry = Cached { fetched: now, max_age, verifier: Rc::clone(&verifier) };
            SETS.with(|sets| sets.borrow_mut().insert(url.to_owned(), entry));
            Ok(verifier)
        }
        Err(why) => match cached {
            Some((fetched, max_age, verifier)) if now - fetched < max_age + STALE_IF_ERROR => Ok(verifier),
            _ => Err(Failure::unavailable(&format!("remote JWKS {url}: {why}"))),
        },
    }
}

async fn fetch(url: &str) -> Result<(KeySet, f64), String> {
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
