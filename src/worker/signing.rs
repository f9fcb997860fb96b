//! The Worker's own signing keys in KV, over the core's lifecycle
//! ([`crate::signing_keys`], which decides what is current, staged, retiring
//! or due): storage, caches, and the host's crypto for RSA keys.
//!
//! The index (`signing:index`) lists each key's kid, algorithm, public JWK,
//! and when it was stored, became current and retires; the private JWK is
//! stored sealed under the key-encryption key (`signing:key:<kid>`, bound to
//! that name), written before the index names it and deleted after the index
//! no longer does. The index is cached per isolate for [`INDEX_TTL`] seconds
//! and unsealed keys for good (a kid's material never changes), so another
//! isolate sees a change within that TTL plus KV's own propagation (up to
//! about 60 s). Those caches live in [`SigningKeys`], which the isolate's
//! state holds.
//!
//! RSA keys are generated and used through WebCrypto (`webcrypto.js`): the
//! wasm parses, checks and seals the exported JWK like any other key, and
//! keeps a non-extractable `CryptoKey` per isolate to sign with.

use super::config::Config;
use super::kv::Kv;
use crate::at_rest::Kek;
use crate::json;
use crate::jws;
use crate::jwt::Mint;
use crate::signing_keys::{self, Entry, Index, Placement, Refusal, Scheduled};
use crate::{Algorithm, Error, Key, KeySet, Result};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use worker::js_sys;
use worker::wasm_bindgen_futures::JsFuture;

const INDEX_KEY: &str = "signing:index";
const INDEX_TTL: f64 = 30.0;

/// A key unsealed to sign with; RSA keys also as the host's `CryptoKey`.
#[derive(Clone)]
struct Signer {
    key: Key,
    host: Option<JsValue>,
    /// Its index entry's `created`: which key of that kid it is.
    created: u64,
}

/// The signing keys in KV, with this isolate's caches of them.
pub(crate) struct SigningKeys {
    kv: Kv,
    index: RefCell<Option<(f64, Index)>>,
    unsealed: RefCell<HashMap<String, Signer>>,
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

    /// `claims` minted as `mint` says and signed with the current key; `None`
    /// when there is no current key.
    pub(crate) async fn sign(&self, kek: &Kek, mint: &Mint, claims: &Map<String, Value>, now: f64) -> Result<Option<String>> {
        let Some(signer) = self.current(kek, now).await? else { return Ok(None) };
        let Some(host_key) = &signer.host else { return mint.sign(claims, &signer.key).map(Some) };
        let (input, alg) = mint.signing_input(claims, &signer.key)?;
        let signature = host_sign(alg, host_key, input.as_bytes()).await?;
        Ok(Some(jws::assemble(&input, &signature)))
    }

    /// The current signing key, unsealed.
    async fn current(&self, kek: &Kek, now: f64) -> Result<Option<Signer>> {
        let Some(index) = self.index(now).await? else { return Ok(None) };
        let Some(entry) = index.current_entry() else { return Ok(None) };
        let kid = entry.kid.clone();
        // A kid pruned may be imported again for another key: the cached key
        // must be the one this entry was stored with.
        let cached = self.unsealed.borrow().get(&kid).filter(|signer| signer.created == entry.created).cloned();
        if let Some(signer) = cached {
            return Ok(Some(signer));
        }
        let sealed = self.kv.get_text(&material_name(&kid)).await?.ok_or(Error::StoreUnavailable("the current signing key is missing from KV"))?;
        let jwk = String::from_utf8(kek.open(&context(&kid), &sealed)?).map_err(|_| Error::AtRestInvalid("a signing key is not UTF-8"))?;
        let key = Key::from_jwk_str(&jwk)?;
        let alg = key.signing_algorithm()?;
        let host = match signing_keys::host_crypto(alg) {
            true => Some(host_key(alg, &jwk).await?),
            false => None,
        };
        let signer = Signer { key, host, created: entry.created };
        self.unsealed.borrow_mut().insert(kid, signer.clone());
        Ok(Some(signer))
    }

    /// The public keys live at `now`, to verify this Worker's own tokens: the
    /// same `Rc` while they are unchanged, so verifiers over it are kept. A key
    /// leaves the set when it retires, even if the index itself has not changed.
    pub(crate) async fn live_key_set(&self, now: f64) -> Result<Rc<KeySet>> {
        let Some(index) = self.index(now).await? else { return Ok(Rc::new(KeySet::new())) };
        let version = index.live_version(now as u64);
        let cached = self.live.borrow().as_ref().filter(|(v, _)| *v == version).map(|(_, keys)| Rc::clone(keys));
        if let Some(keys) = cached {
            return Ok(keys);
        }
        let keys = Rc::new(key_set(&index, now as u64)?);
        *self.live.borrow_mut() = Some((version, Rc::clone(&keys)));
        Ok(keys)
    }

    /// Makes a new current key for `SIGNING_ALG`; the previous one retires
    /// after `KEY_OVERLAP_SECONDS`.
    pub(crate) async fn rotate(&self, config: &Config, now: u64) -> Result<String> {
        let key = generate(config.signing_alg, config.rsa_bits).await?;
        self.store(config, key, Placement::Current, now).await?.map_err(|_| Error::JwkInvalid("a new signing key's kid is already stored"))
    }

    /// Stores `key` sealed, where `placement` says; its kid, or why the index
    /// refused it. Material first, then the index.
    pub(crate) async fn store(&self, config: &Config, key: Key, placement: Placement, now: u64) -> Result<std::result::Result<String, Refusal>> {
        let entry = Entry::new(&key, now)?;
        let kid = entry.kid.clone();
        if self.kv.get_json::<Index>(INDEX_KEY).await?.is_some_and(|index| index.keys.iter().any(|known| known.kid == kid)) {
            return Ok(Err(Refusal::Conflict("a signing key with this kid is already stored")));
        }
        let private = Value::Object(key.to_jwk(true)?).to_string();
        self.kv.put_text(&material_name(&kid), config.kek.seal(&context(&kid), private.as_bytes())?).await?;
        Ok(self.change(now, |index| index.add(entry, placement, config.key_overlap, now)).await?.map(|()| kid))
    }

    /// Makes the staged key `kid` current.
    pub(crate) async fn activate(&self, config: &Config, kid: &str, now: u64) -> Result<std::result::Result<(), Refusal>> {
        self.change(now, |index| index.activate_for(kid, config.signing_alg.name(), config.key_overlap, now)).await
    }

    /// Before a request, when KV holds no current key: `SIGNING_JWK` becomes
    /// current, or (local development, `BOOTSTRAP_DEV_SIGNING_KEY=true`) a new
    /// key is made. Production keys are otherwise provisioned explicitly.
    pub(crate) async fn provision_if_empty(&self, config: &Config, now: f64) -> Result<()> {
        if self.index(now).await?.is_some_and(|index| index.current.is_some()) {
            return Ok(());
        }
        match (&config.signing_jwk, config.bootstrap_dev_key) {
            // A key of that kid already stored (staged or retired) is left as the operator left it.
            (Some(key), _) => self.store(config, key.clone(), Placement::Current, now as u64).await.map(|_| ()),
            (None, true) => self.rotate(config, now as u64).await.map(|_| ()),
            (None, false) => Ok(()),
        }
    }

    /// The cron trigger's work: a rotation when one is due (`ROTATE_AFTER_DAYS`:
    /// a next key published first, current on a later run once verifiers can
    /// know it), and the deletion of keys retired after their overlap. What
    /// it did, for the log.
    pub(crate) async fn scheduled(&self, config: &Config, now: u64) -> Result<String> {
        let Some(mut index) = self.kv.get_json::<Index>(INDEX_KEY).await? else { return Ok("no signing key yet".into()) };
        let lead = config.jwks_max_age.saturating_add(config.key_propagation);
        let pending = index.keys.iter().find(|entry| entry.staged && entry.published).map(|next| format!("the next signing key {} is published, current {lead} s or more after it was made", next.kid));
        match index.scheduled_step(config.rotate_after, config.signing_alg.name(), lead, now) {
            Scheduled::Nothing => {}
            Scheduled::PublishNext => {
                let key = generate(config.signing_alg, config.rsa_bits).await?;
                let kid = self.store(config, key, Placement::Next, now).await?.map_err(|_| Error::JwkInvalid("a new signing key's kid is already stored"))?;
                return Ok(format!("published the next signing key {kid}: current from a run {lead} s or more from now"));
            }
            Scheduled::Activate(kid) => {
                self.activate(config, &kid, now).await?.map_err(|_| Error::StoreUnavailable("the next signing key could not be made current"))?;
                return Ok(format!("rotated, the current signing key is now {kid}"));
            }
        }
        if !index.prune(now).is_empty() {
            self.change(now, |_| Ok(())).await?.map_err(|_| Error::StoreUnavailable("the signing-key index refused a pruning"))?;
        }
        Ok(pending.unwrap_or_else(|| "no rotation due".into()))
    }

    /// Reads the index from KV, drops the keys retired by `now`, applies
    /// `edit`, and writes it back (then deletes the dropped keys' material).
    /// Nothing is written when `edit` refuses.
    async fn change<T>(&self, now: u64, edit: impl FnOnce(&mut Index) -> std::result::Result<T, Refusal>) -> Result<std::result::Result<T, Refusal>> {
        let mut index: Index = self.kv.get_json(INDEX_KEY).await?.unwrap_or_default();
        let retired = index.prune(now);
        let outcome = match edit(&mut index) {
            Ok(outcome) => outcome,
            Err(refusal) => return Ok(Err(refusal)),
        };
        self.kv.put_json(INDEX_KEY, &index).await?;
        *self.index.borrow_mut() = Some((now as f64, index));
        for kid in retired {
            self.kv.delete(&material_name(&kid)).await?;
            self.unsealed.borrow_mut().remove(&kid);
        }
        Ok(Ok(outcome))
    }
}

/// A fresh private key for `alg`: RSA from the host's WebCrypto (`bits`),
/// checked like an imported key; the others from the core.
async fn generate(alg: Algorithm, bits: u32) -> Result<Key> {
    if !signing_keys::host_crypto(alg) {
        return Key::generate(alg, None);
    }
    let failed = |_: JsValue| Error::JwkInvalid("the host could not generate an RSA key");
    let jwk = JsFuture::from(generate_rsa_jwk(alg.name(), bits).map_err(failed)?).await.map_err(failed)?;
    let jwk = json::parse_object(jwk.as_string().unwrap_or_default().as_bytes()).map_err(|_| Error::JwkInvalid("the host's RSA key is not a JWK"))?;
    signing_keys::signing_key(&Value::Object(jwk), alg).map_err(|_| Error::JwkInvalid("the host's RSA key is unusable"))
}

/// The host's non-extractable signing key for private JWK text.
async fn host_key(alg: Algorithm, jwk: &str) -> Result<JsValue> {
    let failed = |_: JsValue| Error::JwkInvalid("the host cannot import this RSA signing key");
    JsFuture::from(import_rsa_signing_key(alg.name(), jwk).map_err(failed)?).await.map_err(failed)
}

/// The host's signature over `input`.
async fn host_sign(alg: Algorithm, key: &JsValue, input: &[u8]) -> Result<Vec<u8>> {
    let failed = |_: JsValue| Error::JwkInvalid("the host could not sign");
    let signature = JsFuture::from(sign_rsa(alg.name(), key, input).map_err(failed)?).await.map_err(failed)?;
    signature.dyn_into::<js_sys::Uint8Array>().map(|bytes| bytes.to_vec()).map_err(failed)
}

// `catch`: a throw comes back as an error instead of unwinding through wasm.
#[wasm_bindgen(module = "/src/worker/webcrypto.js")]
extern "C" {
    #[wasm_bindgen(js_name = generateRsaJwk, catch)]
    fn generate_rsa_jwk(alg: &str, bits: u32) -> std::result::Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_name = importRsaSigningKey, catch)]
    fn import_rsa_signing_key(alg: &str, jwk: &str) -> std::result::Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_name = signRsa, catch)]
    fn sign_rsa(alg: &str, key: &JsValue, data: &[u8]) -> std::result::Result<js_sys::Promise, JsValue>;
}

/// The public keys still in service at `now`.
pub(crate) fn public_jwks(index: &Index, now: u64) -> Value {
    index.public_jwks(now)
}

/// The public keys as a key set, for verifying this Worker's own tokens.
pub(crate) fn key_set(index: &Index, now: u64) -> Result<KeySet> {
    match index.public_jwks(now) {
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
