//! The Worker's own signing keys: current key, rotation with overlap, JWKS.
//!
//! The index (`signing:index`) lists each key's kid, algorithm, public JWK and
//! retirement time; the private JWK is stored sealed under the key-encryption
//! key (`signing:key:<kid>`, bound to that name). Rotation makes a new current
//! key and keeps the previous one in the JWKS for the overlap. The index is
//! cached per isolate for [`INDEX_TTL`] seconds and unsealed keys for good
//! (a kid's material never changes), so another isolate sees a rotation
//! within that TTL plus KV's own propagation (up to about 60 s). Those caches
//! live in [`SigningKeys`], which the isolate's state holds.

use super::config::Config;
use super::kv::Kv;
use crate::at_rest::Kek;
use crate::{Algorithm, Error, Key, KeySet, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

const INDEX_KEY: &str = "signing:index";
const INDEX_TTL: f64 = 30.0;

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Index {
    pub current: String,
    pub keys: Vec<Entry>,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub kid: String,
    pub alg: String,
    pub created: u64,
    /// Leaves the JWKS at this time (set when a newer key becomes current).
    pub retires: Option<u64>,
    pub public_jwk: Map<String, Value>,
}

/// The signing keys in KV, with this isolate's caches of them.
pub(crate) struct SigningKeys {
    kv: Kv,
    index: RefCell<Option<(f64, Index)>>,
    unsealed: RefCell<HashMap<String, Key>>,
    /// The live public keys as one set, with the kids it was made from.
    live: RefCell<Option<(String, Rc<KeySet>)>>,
}

impl SigningKeys {
    pub(crate) fn new(kv: Kv) -> SigningKeys {
        SigningKeys { kv, index: RefCell::new(None), unsealed: RefCell::new(HashMap::new()), live: RefCell::new(None) }
    }

    /// The index, from this isolate's cache when fresh.
    pub(crate) async fn index(&self, now: f64) -> Result<Option<Index>> {
        let cached = self.index.borrow().clone().filter(|(at, _)| now - at < INDEX_TTL);
        if let Some((_, index)) = cached {
            return Ok(Some(index));
        }
        let index: Option<Index> = self.kv.get_json(INDEX_KEY).await?;
        if let Some(index) = &index {
            *self.index.borrow_mut() = Some((now, index.clone()));
        }
        Ok(index)
    }

    /// The current signing key, unsealed.
    pub(crate) async fn current(&self, kek: &Kek, now: f64) -> Result<Option<Key>> {
        let Some(index) = self.index(now).await? else { return Ok(None) };
        if let Some(key) = self.unsealed.borrow().get(&index.current).cloned() {
            return Ok(Some(key));
        }
        let sealed = self.kv.get_text(&material_name(&index.current)).await?.ok_or(Error::StoreUnavailable("the current signing key is missing from KV"))?;
        let jwk = kek.open(&context(&index.current), &sealed)?;
        let key = Key::from_jwk_str(&String::from_utf8_lossy(&jwk))?;
        self.unsealed.borrow_mut().insert(index.current.clone(), key.clone());
        Ok(Some(key))
    }

    /// The public keys live at `now`, to verify this Worker's own tokens: the
    /// same `Rc` while they are unchanged, so verifiers over it are kept. A key
    /// leaves the set when it retires, even if the index itself has not changed.
    pub(crate) async fn live_key_set(&self, now: f64) -> Result<Rc<KeySet>> {
        let Some(index) = self.index(now).await? else { return Ok(Rc::new(KeySet::new())) };
        let live = |k: &&Entry| k.retires.is_none_or(|retires| retires as f64 > now);
        let version = index.keys.iter().filter(live).map(|k| k.kid.as_str()).collect::<Vec<_>>().join(",");
        let cached = self.live.borrow().as_ref().filter(|(v, _)| *v == version).map(|(_, keys)| Rc::clone(keys));
        if let Some(keys) = cached {
            return Ok(keys);
        }
        let keys = Rc::new(key_set(&index, now as u64)?);
        *self.live.borrow_mut() = Some((version, Rc::clone(&keys)));
        Ok(keys)
    }

    /// Makes a new current key; the previous one retires after `overlap` seconds.
    /// Persisted in KV (material first, then the index) before it returns; the
    /// sealed material of keys already retired is deleted after the index no
    /// longer names them.
    pub(crate) async fn rotate(&self, kek: &Kek, alg: Algorithm, overlap: u64, now: u64) -> Result<String> {
        let key = Key::generate(alg, None)?;
        let kid = key.kid().unwrap_or_default().to_owned();
        let private = Value::Object(key.to_jwk(true)?).to_string();
        self.kv.put_text(&material_name(&kid), kek.seal(&context(&kid), private.as_bytes())?).await?;
        let previous: Option<Index> = self.kv.get_json(INDEX_KEY).await?;
        let (mut keys, retired): (Vec<Entry>, Vec<Entry>) = previous
            .map(|index| index.keys)
            .unwrap_or_default()
            .into_iter()
            .partition(|entry| entry.retires.is_none_or(|retires| retires > now));
        for entry in keys.iter_mut().filter(|entry| entry.retires.is_none()) {
            entry.retires = Some(now + overlap);
        }
        let public_jwk = key.to_jwk(false)?;
        keys.push(Entry { kid: kid.clone(), alg: alg.name().to_owned(), created: now, retires: None, public_jwk });
        let index = Index { current: kid.clone(), keys };
        self.kv.put_json(INDEX_KEY, &index).await?;
        *self.index.borrow_mut() = Some((now as f64, index));
        self.unsealed.borrow_mut().insert(kid.clone(), key);
        for entry in retired {
            self.kv.delete(&material_name(&entry.kid)).await?;
            self.unsealed.borrow_mut().remove(&entry.kid);
        }
        Ok(kid)
    }

    /// Local development only (`BOOTSTRAP_DEV_SIGNING_KEY=true`): makes a first
    /// signing key when KV has none. Production keys are provisioned explicitly.
    pub(crate) async fn bootstrap_if_empty(&self, config: &Config, now: f64) -> Result<()> {
        if self.index(now).await?.is_none() {
            self.rotate(&config.kek, config.signing_alg, config.key_overlap, now as u64).await?;
        }
        Ok(())
    }

}

/// The public keys still in service at `now`.
pub(crate) fn public_jwks(index: &Index, now: u64) -> Value {
    let keys: Vec<Value> = index
        .keys
        .iter()
        .filter(|entry| entry.retires.is_none_or(|retires| retires > now))
        .map(|entry| Value::Object(entry.public_jwk.clone()))
        .collect();
    serde_json::json!({ "keys": keys })
}

/// The public keys as a key set, for verifying this Worker's own tokens.
pub(crate) fn key_set(index: &Index, now: u64) -> Result<KeySet> {
    match public_jwks(index, now) {
        Value::Object(jwks) => KeySet::from_jwks(&jwks),
        _ => Ok(KeySet::new()),
    }
}

fn material_name(kid: &str) -> String {
    format!("signing:key:{kid}")
}

fn context(kid: &str) -> String {
    format!("signing-key:{kid}")
}
